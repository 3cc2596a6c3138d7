//! Tests of settings: the file, the environment and flags, in that order
//! of precedence, and every value checked.

use super::*;

#[test]
fn line_col_counts_characters_not_bytes() {
    let text = "a = 1\nnäme = x\n";
    let off = text.find('x').unwrap();
    assert_eq!(line_col(text, off), (2, 8));
    assert_eq!(line_col(text, 0), (1, 1));
    assert_eq!(line_col(text, 10_000), (3, 1));
}

#[test]
fn full_file_parses() {
    let f = parse(
        "audience = \"customer\"\nreport_dir = \"r\"\ntechnician = \" Sam Lee \"\nstation = \"bench-3\"\njobs = 16\ntimeout_ms = 500\n",
        Path::new("c.toml"),
    )
    .unwrap();
    assert_eq!(f.audience, Some(Audience::Customer));
    assert_eq!(f.technician.as_deref(), Some("Sam Lee"));
    assert_eq!(f.jobs, Some(16));
    assert_eq!(f.timeout_ms, Some(500));
}

#[test]
fn errors_point_at_the_offending_value() {
    let cases = [
        ("jobs = 0\n", 1, 8, "between 1 and"),
        ("\n\naudience = \"vet\"\n", 3, 12, "unknown variant"),
        ("jobs = 2\njbos = 3\n", 2, 1, "unknown field"),
        ("timeout_ms = \"fast\"\n", 1, 14, "invalid type"),
        ("station = \"a\\u001b[2J\"\n", 1, 11, "control"),
        ("jobs = [\n", 1, 9, "unclosed array"),
    ];
    for (text, line, col, needle) in cases {
        match parse(text, Path::new("/x/config.toml")) {
            Err(ConfigError::Parse {
                line: l,
                col: c,
                message,
                ..
            }) => {
                assert_eq!((l, c), (line, col), "{text:?}: {message}");
                assert!(message.contains(needle), "{text:?}: {message}");
            }
            other => panic!("{text:?}: {other:?}"),
        }
    }
}

#[test]
fn precedence_is_default_file_env_flag() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(
        &path,
        "jobs = 3\ntimeout_ms = 400\ntechnician = \"File Tech\"\nreport_dir = \"out\"\n",
    )
    .unwrap();
    let p = path.display().to_string();
    let env = env_of(&[(ENV_CONFIG, &p), (ENV_TIMEOUT_MS, "700"), (ENV_STATION, "")]);
    let s = Settings::load(&env).unwrap();
    assert!(s.file.found && s.file.from_env);
    assert_eq!(
        s.audience,
        Setting::new(Audience::Technician, Source::Default)
    );
    assert_eq!(s.jobs, Setting::new(3, Source::File));
    assert_eq!(s.report_dir.value, dir.path().join("out"));
    assert_eq!(s.timeout_ms, Setting::new(700, Source::Env(ENV_TIMEOUT_MS)));
    // An empty variable is as good as unset.
    assert_eq!(s.station.source, Source::Default);
    let f = s.with_flags(&Overrides {
        jobs: Some(5),
        ..Overrides::default()
    });
    assert_eq!(f.jobs, Setting::new(5, Source::Flag));
    assert_eq!(f.technician.value.as_deref(), Some("File Tech"));
    let rows = f.rows();
    let jobs = rows.iter().find(|r| r.key == "jobs").unwrap();
    assert_eq!((jobs.source, jobs.value.clone()), ("flag", 5.into()));
    let tech = rows.iter().find(|r| r.key == "technician").unwrap();
    assert_eq!(tech.origin.as_deref(), Some(p.as_str()));
}

#[test]
fn missing_file_is_defaults_and_bad_env_is_an_error() {
    let env = env_of(&[(ENV_CONFIG, "/nonexistent/pawdiag/config.toml")]);
    let s = Settings::load(&env).unwrap();
    assert!(!s.file.found);
    assert_eq!(s.jobs.value, DEFAULT_JOBS);
    let env = env_of(&[(ENV_CONFIG, "/nonexistent/x.toml"), (ENV_JOBS, "many")]);
    let e = Settings::load(&env).unwrap_err();
    assert!(e.to_string().contains("PAWDIAG_JOBS"), "{e}");
    let env = env_of(&[(ENV_CONFIG, "/nonexistent/x.toml"), (ENV_AUDIENCE, "vet")]);
    assert!(matches!(
        Settings::load(&env),
        Err(ConfigError::Env {
            var: ENV_AUDIENCE,
            ..
        })
    ));
}

#[test]
fn unreadable_file_is_a_read_error() {
    let dir = tempfile::tempdir().unwrap();
    // A directory where the file should be cannot be read as text.
    let p = dir.path().display().to_string();
    let env = env_of(&[(ENV_CONFIG, &p)]);
    assert!(matches!(
        Settings::load(&env),
        Err(ConfigError::Read { .. })
    ));
}
