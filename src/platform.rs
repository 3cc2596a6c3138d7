//! The operating system pawdiag runs on, where that changes what a person
//! is told: which settings to open, what a serial port is called, which
//! features exist there at all. Everything that differs is a method of
//! [`Os`] taking the system as a value, so every platform's wording is
//! tested on any one of them; [`Os::current`] picks the one in force.

/// The system's directories for pawdiag (settings, reports), when a home
/// directory is known.
pub fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("com", "PawCore", "pawdiag")
}

/// An operating system pawdiag is built for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Os {
    /// Linux (and other Unix systems without their own wording): BlueZ on
    /// D-Bus, `/dev/ttyACM*` ports.
    Linux,
    /// Windows 10 and later: the WinRT Bluetooth stack, `COM*` ports.
    Windows,
    /// macOS: CoreBluetooth, `/dev/cu.usbmodem*` ports.
    MacOs,
}

impl Os {
    /// Every system, for tests and documentation.
    pub const ALL: [Os; 3] = [Os::Linux, Os::Windows, Os::MacOs];

    /// The system this binary was built for.
    pub const fn current() -> Os {
        if cfg!(windows) {
            Os::Windows
        } else if cfg!(target_os = "macos") {
            Os::MacOs
        } else {
            Os::Linux
        }
    }

    /// Its name as people know it.
    pub fn name(self) -> &'static str {
        match self {
            Os::Linux => "Linux",
            Os::Windows => "Windows",
            Os::MacOs => "macOS",
        }
    }

    /// A PawCore device's serial port as this system names it, for hints.
    pub fn example_port(self) -> &'static str {
        match self {
            Os::Linux => "/dev/ttyACM0",
            Os::Windows => "COM3",
            Os::MacOs => "/dev/cu.usbmodem1101",
        }
    }

    /// Where Bluetooth is switched on, in words a customer can follow.
    pub fn bluetooth_switch(self) -> &'static str {
        match self {
            Os::Linux => "the system settings (or `bluetoothctl power on`)",
            Os::Windows => "Settings › Bluetooth & devices (or the quick settings)",
            Os::MacOs => "System Settings › Bluetooth (or Control Centre)",
        }
    }

    /// Whether the Bluetooth stack lets pawdiag switch a powered-off
    /// adapter on while it scans (BlueZ does; Windows and macOS leave that
    /// to the person).
    pub fn switches_bluetooth_on(self) -> bool {
        self == Os::Linux
    }

    /// Whether `pawdiag sim serve` can serve devices on pseudo-terminals
    /// here (and so register them as simulated USB devices).
    pub fn has_pseudo_terminals(self) -> bool {
        self != Os::Windows
    }

    /// Why a Unix-only feature is missing here, as one sentence, or `None`
    /// where it exists. `what` names the feature ("serving simulated
    /// devices on pseudo-terminals").
    pub fn lacks_unix(self, what: &str) -> Option<String> {
        (!self.has_pseudo_terminals()).then(|| {
            format!(
                "{what} needs Linux or macOS: {} has no pseudo-terminals",
                self.name()
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_system_names_its_own_ports_and_settings() {
        assert_eq!(Os::Windows.example_port(), "COM3");
        assert!(Os::MacOs.example_port().starts_with("/dev/cu."));
        assert!(
            Os::Windows
                .bluetooth_switch()
                .contains("Bluetooth & devices")
        );
        assert!(Os::MacOs.bluetooth_switch().contains("System Settings"));
        for os in [Os::Windows, Os::MacOs] {
            assert!(!os.bluetooth_switch().contains("bluetoothctl"), "{os:?}");
            assert!(!os.switches_bluetooth_on());
        }
        assert!(Os::Linux.switches_bluetooth_on());
    }

    #[test]
    fn unix_only_features_say_why_on_windows() {
        assert_eq!(Os::Linux.lacks_unix("x"), None);
        assert_eq!(Os::MacOs.lacks_unix("x"), None);
        let s = Os::Windows
            .lacks_unix("Serving simulated devices")
            .expect("sentence");
        assert_eq!(
            s,
            "Serving simulated devices needs Linux or macOS: Windows has no pseudo-terminals"
        );
    }

    #[test]
    fn current_is_one_of_all() {
        assert!(Os::ALL.contains(&Os::current()));
        #[cfg(target_os = "linux")]
        assert_eq!(Os::current(), Os::Linux);
    }
}
