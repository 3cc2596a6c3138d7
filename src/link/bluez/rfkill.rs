//! rfkill as Linux exposes it in sysfs (`/sys/class/rfkill/rfkillN/`):
//! which Bluetooth radios are blocked, in software (`rfkill block`, airplane
//! mode) or by a hardware switch.

use std::path::Path;

/// One Bluetooth radio's rfkill state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Radio {
    /// Its rfkill name, e.g. `hci0`.
    pub name: String,
    /// Blocked in software (`rfkill unblock bluetooth` lifts it).
    pub soft: bool,
    /// Blocked by a hardware switch or key.
    pub hard: bool,
}

/// The Bluetooth radios under `root` (normally `/sys/class/rfkill`).
pub fn bluetooth_radios_in(root: &Path) -> Vec<Radio> {
    let Ok(entries) = std::fs::read_dir(root) else {
        return Vec::new();
    };
    let read = |dir: &Path, f: &str| {
        std::fs::read_to_string(dir.join(f))
            .map(|s| s.trim().to_string())
            .unwrap_or_default()
    };
    let mut radios: Vec<Radio> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|dir| read(dir, "type") == "bluetooth")
        .map(|dir| Radio {
            name: read(&dir, "name"),
            soft: read(&dir, "soft") == "1",
            hard: read(&dir, "hard") == "1",
        })
        .collect();
    radios.sort_by(|a, b| a.name.cmp(&b.name));
    radios
}

/// This computer's Bluetooth radios.
pub fn bluetooth_radios() -> Vec<Radio> {
    bluetooth_radios_in(Path::new("/sys/class/rfkill"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_bluetooth_radios_and_ignores_others() {
        let root = tempfile::tempdir().expect("tempdir");
        for (n, kind, soft, hard) in [
            ("rfkill0", "wlan", "1", "0"),
            ("rfkill1", "bluetooth", "1", "0"),
            ("rfkill2", "bluetooth", "0", "1"),
        ] {
            let d = root.path().join(n);
            std::fs::create_dir(&d).expect("dir");
            std::fs::write(d.join("type"), format!("{kind}\n")).expect("type");
            std::fs::write(d.join("name"), format!("hci{n}\n")).expect("name");
            std::fs::write(d.join("soft"), soft).expect("soft");
            std::fs::write(d.join("hard"), hard).expect("hard");
        }
        let radios = bluetooth_radios_in(root.path());
        assert_eq!(radios.len(), 2);
        assert!(radios[0].soft && !radios[0].hard);
        assert!(!radios[1].soft && radios[1].hard);
        assert!(bluetooth_radios_in(&root.path().join("missing")).is_empty());
    }
}
