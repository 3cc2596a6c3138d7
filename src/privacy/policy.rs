//! The kinds of personal data and a policy of which to keep as they are.

use std::fmt;

/// A kind of personal data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// The pet's GPS position.
    Location,
    /// Geofence names.
    Geofences,
    /// E-mail addresses, phone numbers (and, when sharing, the customer's name).
    Contact,
}

impl Kind {
    /// Every kind, in the order they are shown.
    pub const ALL: [Kind; 3] = [Kind::Location, Kind::Geofences, Kind::Contact];

    /// The word used on the command line and in JSON.
    pub fn id(self) -> &'static str {
        match self {
            Kind::Location => "location",
            Kind::Geofences => "geofences",
            Kind::Contact => "contact",
        }
    }

    /// What it covers, for a person.
    pub fn describe(self) -> &'static str {
        match self {
            Kind::Location => "the pet's exact GPS position",
            Kind::Geofences => "the names the owner gave places, e.g. Home",
            Kind::Contact => "the customer's name, e-mail addresses and phone numbers",
        }
    }

    /// Reads a kind from its word.
    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL
            .into_iter()
            .find(|k| k.id().eq_ignore_ascii_case(s.trim()))
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// Which personal data is kept as it is (`true`) rather than made private.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Keep coordinates exact.
    pub location: bool,
    /// Keep geofence names.
    pub geofences: bool,
    /// Keep e-mail addresses and phone numbers.
    pub contact: bool,
    /// Keep the customer's name (masked contact details inside it aside).
    pub customer_name: bool,
}

impl Policy {
    /// Private by default: everything personal coarsened or masked; the
    /// customer's name is kept, because a report belongs on that
    /// customer's ticket.
    pub fn private() -> Self {
        Self {
            location: false,
            geofences: false,
            contact: false,
            customer_name: true,
        }
    }

    /// Everything kept (`--include-personal-data`).
    pub fn everything() -> Self {
        Self {
            location: true,
            geofences: true,
            contact: true,
            customer_name: true,
        }
    }

    /// [`Policy::everything`] when `include` is set, else [`Policy::private`].
    pub fn from_include_flag(include: bool) -> Self {
        if include {
            Self::everything()
        } else {
            Self::private()
        }
    }

    /// For a shared copy: only the kinds consented to leave; without
    /// contact details the customer's name stays behind too.
    pub fn sharing(kinds: &[Kind]) -> Self {
        let has = |k| kinds.contains(&k);
        Self {
            location: has(Kind::Location),
            geofences: has(Kind::Geofences),
            contact: has(Kind::Contact),
            customer_name: has(Kind::Contact),
        }
    }

    /// Whether a kind is kept.
    pub fn keeps(&self, kind: Kind) -> bool {
        match kind {
            Kind::Location => self.location,
            Kind::Geofences => self.geofences,
            Kind::Contact => self.contact,
        }
    }

    /// True when nothing is changed.
    pub fn keeps_everything(&self) -> bool {
        self.location && self.geofences && self.contact && self.customer_name
    }
}
