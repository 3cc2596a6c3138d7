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
    /// The path names something that is not a regular file (a directory,
    /// a FIFO, a device, a socket): writing there would replace or feed it.
    #[error("{} is {what}, not a regular file", .path.display())]
    NotAFile {
        /// The path as given (or the file a symbolic link leads to).
        path: PathBuf,
        /// What it is, e.g. "a directory", "a named pipe (FIFO)".
        what: &'static str,
    },
    /// A chain of symbolic links that does not end (or is too long).
    #[error("{} is a chain of symbolic links that does not end", .0.display())]
    LinkLoop(PathBuf),
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
            WriteError::NotAFile { .. } | WriteError::LinkLoop(_) => {
                "give the path of a file to create or replace, e.g. --report ticket-1001.json"
                    .into()
            }
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
    crate::platform::project_dirs()
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

/// What an existing path is, when it is not a regular file.
fn special_kind(meta: &fs::Metadata) -> Option<&'static str> {
    let t = meta.file_type();
    if t.is_file() {
        return None;
    }
    if t.is_dir() {
        return Some("a directory");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return Some("a named pipe (FIFO)");
        }
        if t.is_char_device() {
            return Some("a character device");
        }
        if t.is_block_device() {
            return Some("a block device");
        }
        if t.is_socket() {
            return Some("a socket");
        }
    }
    Some("not a regular file")
}

/// Where a report written to `path` really goes: symbolic links are
/// followed to the file they name (which is then replaced atomically,
/// leaving the link in place); a path that exists and is not a regular
/// file is refused. A path that does not exist yet is returned as it is.
pub fn resolve_target(path: &Path) -> Result<PathBuf, WriteError> {
    let mut current = path.to_path_buf();
    // Linux gives up after 40 links; so do we.
    for _ in 0..40 {
        let meta = match fs::symlink_metadata(&current) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(current),
            Err(e) => return Err(io(&current)(e)),
        };
        if meta.file_type().is_symlink() {
            let target = fs::read_link(&current).map_err(io(&current))?;
            current = match current.parent() {
                Some(dir) if target.is_relative() => dir.join(target),
                _ => target,
            };
            continue;
        }
        return match special_kind(&meta) {
            None => Ok(current),
            Some(what) => Err(WriteError::NotAFile {
                path: current,
                what,
            }),
        };
    }
    Err(WriteError::LinkLoop(path.to_path_buf()))
}

/// Renders `report` in `format` and writes it atomically to `path`,
/// creating the parent directory if needed.
pub fn write_atomic(path: &Path, report: &Report, format: Format) -> Result<(), WriteError> {
    write_bytes_atomic(path, render(report, format).as_bytes())
}

/// Writes bytes atomically: temporary file beside `path`, fsync, rename,
/// fsync of the directory. On any error the temporary file is removed and
/// an existing file at `path` is left as it was. A symbolic link is
/// followed (the file it names is replaced, the link stays); a path that is
/// not a regular file (a FIFO, a device, a directory) is refused.
pub fn write_bytes_atomic(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let target = resolve_target(path)?;
    let path = target.as_path();
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

    #[cfg(unix)]
    #[test]
    fn special_files_are_refused_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe.json");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid C string; mkfifo only creates the node.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        // A socket stands in for device nodes: a test that failed must not
        // replace a real /dev entry.
        let socket = dir.path().join("sock.json");
        let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
        for (path, what) in [
            (fifo.clone(), "a named pipe (FIFO)"),
            (socket.clone(), "a socket"),
            (dir.path().to_path_buf(), "a directory"),
        ] {
            match write_bytes_atomic(&path, b"x") {
                Err(WriteError::NotAFile { what: w, .. }) => assert_eq!(w, what),
                other => panic!("{}: {other:?}", path.display()),
            }
        }
        use std::os::unix::fs::FileTypeExt;
        assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_is_followed_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("sub/real.json");
        fs::create_dir(dir.path().join("sub")).unwrap();
        fs::write(&real, b"old").unwrap();
        let link = dir.path().join("link.json");
        std::os::unix::fs::symlink("sub/real.json", &link).unwrap();
        write_bytes_atomic(&link, b"new").unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read(&real).unwrap(), b"new");
        // A dangling link creates the file it names.
        let dangling = dir.path().join("dangling.json");
        std::os::unix::fs::symlink(dir.path().join("made.json"), &dangling).unwrap();
        write_bytes_atomic(&dangling, b"made").unwrap();
        assert_eq!(fs::read(dir.path().join("made.json")).unwrap(), b"made");
        // A loop is refused.
        let a = dir.path().join("a");
        let b = dir.path().join("b");
        std::os::unix::fs::symlink(&b, &a).unwrap();
        std::os::unix::fs::symlink(&a, &b).unwrap();
        assert!(matches!(
            write_bytes_atomic(&a, b"x"),
            Err(WriteError::LinkLoop(_))
        ));
        // A link to a FIFO is refused like the FIFO.
        let fifo = dir.path().join("pipe");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid C string; mkfifo only creates the node.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let to_fifo = dir.path().join("to-pipe.json");
        std::os::unix::fs::symlink(&fifo, &to_fifo).unwrap();
        assert!(matches!(
            write_bytes_atomic(&to_fifo, b"x"),
            Err(WriteError::NotAFile { .. })
        ));
    }
}
