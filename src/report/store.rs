//! Writing reports so they are never lost or half-written: a temporary file
//! in the target directory, fsync, rename over the final name, fsync of the
//! directory. Reports hold customer data, so on Unix they are created
//! readable by their owner only.
//!
//! Without `--report`, reports go to a predictable per-user directory:
//! `ProjectDirs("com", "PawCore", "pawdiag").data_dir()/reports/`
//! (`~/.local/share/pawdiag/reports` on Linux), overridable with the
//! `PAWDIAG_REPORT_DIR` environment variable, named
//! `<UTC timestamp>-<serial>-<reference code>.json`.

use super::model::Report;
use super::{Format, render};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The environment variable that overrides the report directory.
pub const DIR_ENV: &str = "PAWDIAG_REPORT_DIR";

/// Why a report could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// No home directory to put reports in.
    #[error("no per-user data directory is known on this system")]
    NoDataDir,
    /// An I/O error, with the path it concerned.
    #[error("could not write {path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The error.
        #[source]
        source: std::io::Error,
    },
}

impl WriteError {
    /// What to do about it.
    pub fn hint(&self) -> String {
        match self {
            WriteError::NoDataDir => {
                format!("pass --report FILE, or set {DIR_ENV} to a directory for reports")
            }
            WriteError::Io { .. } => format!(
                "check that the directory exists and is writable, or choose another place with --report FILE (or {DIR_ENV})"
            ),
        }
    }
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> WriteError + '_ {
    move |source| WriteError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The directory reports are saved in by default: `$PAWDIAG_REPORT_DIR`,
/// else the per-user data directory's `reports/`.
pub fn report_dir() -> Result<PathBuf, WriteError> {
    report_dir_with(std::env::var_os(DIR_ENV))
}

/// [`report_dir`] with the override given rather than read from the
/// environment (so it can be tested without touching the process's).
pub fn report_dir_with(env_override: Option<std::ffi::OsString>) -> Result<PathBuf, WriteError> {
    if let Some(d) = env_override.filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(d));
    }
    crate::config::project_dirs()
        .map(|p| p.data_dir().join("reports"))
        .ok_or(WriteError::NoDataDir)
}

/// Keeps a file-name part to letters, digits, `-` and `_` (device data is
/// untrusted: a serial of `../../x` must not leave the directory).
fn file_part(s: &str) -> String {
    let cleaned: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .take(48)
        .collect();
    if cleaned.is_empty() {
        "unknown".into()
    } else {
        cleaned
    }
}

/// The file name a report gets by default:
/// `<YYYYMMDDTHHMMSSZ>-<serial>-<code>.<ext>` (time of the session end).
pub fn file_name(report: &Report, format: Format) -> String {
    format!(
        "{}-{}-{}.{}",
        report.session.ended_at.format("%Y%m%dT%H%M%SZ"),
        file_part(&report.device.serial),
        file_part(&report.outcome.code),
        format.extension()
    )
}

/// The default path for a report: [`report_dir`]/[`file_name`], with `-2`,
/// `-3`… added if that name is taken.
pub fn default_path(report: &Report, format: Format) -> Result<PathBuf, WriteError> {
    Ok(free_path_in(&report_dir()?, report, format))
}

/// [`file_name`] in `dir`, with `-2`, `-3`… added if that name is taken.
pub fn free_path_in(dir: &Path, report: &Report, format: Format) -> PathBuf {
    let name = file_name(report, format);
    let mut path = dir.join(&name);
    let stem = name
        .trim_end_matches(&format!(".{}", format.extension()))
        .to_string();
    let mut n = 2;
    while path.exists() && n < 1000 {
        path = dir.join(format!("{stem}-{n}.{}", format.extension()));
        n += 1;
    }
    path
}

/// Renders `report` in `format` and writes it atomically to `path`,
/// creating the parent directory if needed.
pub fn write_atomic(path: &Path, report: &Report, format: Format) -> Result<(), WriteError> {
    write_bytes_atomic(path, render(report, format).as_bytes())
}

/// Writes bytes atomically: temporary file beside `path`, fsync, rename,
/// fsync of the directory. On any error the temporary file is removed and
/// an existing file at `path` is left as it was.
pub fn write_bytes_atomic(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    create_private_dir(&dir).map_err(io(&dir))?;
    let base = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "report".into());
    let (tmp, mut file) = create_temp(&dir, &base).map_err(io(&dir))?;
    let result = file
        .write_all(bytes)
        .and_then(|_| file.sync_all())
        .and_then(|_| {
            drop(file);
            fs::rename(&tmp, path)
        });
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        return Err(io(path)(e));
    }
    // Make the rename itself durable. Best effort: not every file system
    // lets a directory be opened for syncing.
    #[cfg(unix)]
    if let Ok(d) = fs::File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut b = fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(dir)
}

fn create_temp(dir: &Path, base: &str) -> std::io::Result<(PathBuf, fs::File)> {
    let pid = std::process::id();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let mut last = None;
    for attempt in 0..16u32 {
        let tmp = dir.join(format!(".{base}.{pid}.{nanos:x}{attempt}.tmp"));
        let mut opts = fs::OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        match opts.open(&tmp) {
            Ok(f) => return Ok((tmp, f)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("no temporary file name was free")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_dir_prefers_the_override_and_falls_back_to_the_data_dir() {
        assert_eq!(
            report_dir_with(Some("/tmp/r".into())).unwrap(),
            PathBuf::from("/tmp/r")
        );
        // An empty override is no override.
        let d = report_dir_with(Some("".into())).unwrap();
        assert!(d.ends_with("reports"), "{}", d.display());
        assert!(d.to_string_lossy().contains("pawdiag"), "{}", d.display());
    }

    #[test]
    fn file_parts_cannot_escape_the_directory() {
        assert_eq!(file_part("../../etc/passwd"), "______etc_passwd");
        assert_eq!(file_part(""), "unknown");
        assert_eq!(file_part("PT-24A0-0001"), "PT-24A0-0001");
    }

    #[test]
    fn atomic_write_replaces_and_leaves_no_temporary_files() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("sub/report.json");
        write_bytes_atomic(&p, b"one").unwrap();
        write_bytes_atomic(&p, b"two").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"two");
        let names: Vec<_> = fs::read_dir(p.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("report.json")]);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
    }

    #[test]
    fn a_failed_write_leaves_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("r.json");
        write_bytes_atomic(&p, b"old").unwrap();
        // Renaming a file over a non-empty directory fails.
        let target = dir.path().join("d");
        fs::create_dir(&target).unwrap();
        fs::write(target.join("x"), b"x").unwrap();
        assert!(write_bytes_atomic(&target, b"new").is_err());
        assert_eq!(fs::read(&p).unwrap(), b"old");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 2);
    }
}
