//! Files tizilim writes for the login, and where: the one writer below both
//! faces.
//!
//! - **`--out FILE`** (`doc render`, `case export`, `audit seal`, `backup`):
//!   [`out_path`] decides where the file may go, [`write_new`] and [`NewFile`]
//!   write it. A file is created new only (never over an existing one, never
//!   through a symbolic link: `O_EXCL` and `O_NOFOLLOW`, and a name that is a
//!   link is refused), mode 0600, complete before it takes its name (a
//!   scratch file beside it, synced, then hard-linked into place, which fails
//!   if anything took the name meanwhile). A name starting with `.` is never
//!   written ([`place`]): `--out .bashrc` would otherwise let an applicant's
//!   text run in a clerk's next login shell.
//! - **Clerks' runs** (the installed, set-ID program run by anyone but root;
//!   see [`crate::privilege::confined`]) write `--out` files only into their
//!   notices folder ([`notices_dir`], made 0700): a name alone goes there, a
//!   path elsewhere is refused naming the folder.
//! - **The console's own files** (drafts, notices it names itself):
//!   [`replace_private`] writes a new 0600 file in a 0700 folder and renames
//!   it over the old one.
//!
//! Layer 1: it knows the privilege module (who runs) and nothing above.

use std::ffi::OsStr;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Component, Path, PathBuf};

/// The notices folder's name in the login's home (`~/tizilim-notices`).
pub const NOTICES: &str = "tizilim-notices";

/// Why a file was not written. Every refusal names the path (and, outside
/// the notices folder, the folder).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// A name in the path starts with `.` (`.bashrc`, `.ssh/…`).
    #[error("--out {path}: {part} starts with a dot, and tizilim writes no dotfiles")]
    Dotfile { path: PathBuf, part: String },
    /// Something already has the name.
    #[error("--out {0} exists: tizilim writes only new files and never overwrites a file")]
    Exists(PathBuf),
    /// The name is a symbolic link (dangling or not).
    #[error("--out {0} is a symbolic link: tizilim never writes through one")]
    Symlink(PathBuf),
    /// A clerk's run names a place outside the notices folder.
    #[error(
        "--out {path}: this login writes files only in its notices folder {dir} (a name alone, e.g. --out notice.html, goes there)"
    )]
    OutsideNotices { path: PathBuf, dir: PathBuf },
    /// The folder (the notices folder, the drafts folder) is a link, not a
    /// folder, or not the login's.
    #[error(
        "{0} must be a folder of this login's own (not a symbolic link); nothing was written in it"
    )]
    NotOwnFolder(PathBuf),
    /// The system refused (no such folder, permission denied, disk full…).
    #[error("--out {path}: {detail}")]
    Io { path: PathBuf, detail: String },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |e| Error::Io {
        path: path.to_path_buf(),
        detail: e.to_string(),
    }
}

/// Where the console writes notices and a clerk's `--out` files go:
/// `TIZILIM_NOTICES_DIR`, else `$HOME/tizilim-notices` (the password
/// database's home when `HOME` is unset, else the current folder).
pub fn notices_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("TIZILIM_NOTICES_DIR").filter(|d| !d.is_empty()) {
        return d.into();
    }
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
        .or_else(crate::privilege::login_home)
        .unwrap_or_else(|| ".".into())
        .join(NOTICES)
}

/// Where `--out` lets this run write `out`: [`place`] for this process (a
/// clerk's run if [`crate::privilege::confined`]), the notices folder made
/// ready for a clerk's run, and nothing there yet by that name.
pub fn out_path(out: &Path) -> Result<PathBuf, Error> {
    let clerk = crate::privilege::confined();
    let notices = notices_dir();
    let dest = place(out, clerk, &notices)?;
    if clerk {
        private_dir(&notices)?;
    }
    check_new(&dest)?;
    Ok(dest)
}

/// The `--out` rule, without touching the disk. Any name after the folder
/// the file goes into may not start with `.`: for a relative path every name
/// in it (after the current folder, or the notices folder), for an absolute
/// one its file name. For a clerk (`clerk`), the file goes into `notices`
/// only: a name alone (`notice.html`, `./notice.html`) is taken there, an
/// absolute path must name a file directly in it; anything else is refused
/// naming the folder.
pub fn place(out: &Path, clerk: bool, notices: &Path) -> Result<PathBuf, Error> {
    let dotfile = |part: &OsStr| Error::Dotfile {
        path: out.to_path_buf(),
        part: part.to_string_lossy().into_owned(),
    };
    let outside = || Error::OutsideNotices {
        path: out.to_path_buf(),
        dir: notices.to_path_buf(),
    };
    let Some(name) = out.file_name() else {
        // `..`, `/`, `dir/..`, or empty: no file name to create.
        return Err(match out.components().next_back() {
            Some(Component::ParentDir) => dotfile(OsStr::new("..")),
            _ if clerk => outside(),
            _ => Error::Io {
                path: out.to_path_buf(),
                detail: "names no file".into(),
            },
        });
    };
    if out.is_relative() {
        // Every name after the folder it is relative to: `..` starts with a dot too.
        for c in out.components() {
            match c {
                Component::CurDir => {}
                Component::Normal(p) if !p.as_encoded_bytes().starts_with(b".") => {}
                Component::Normal(p) => return Err(dotfile(p)),
                Component::ParentDir => return Err(dotfile(OsStr::new(".."))),
                Component::RootDir | Component::Prefix(_) => {}
            }
        }
    } else if name.as_encoded_bytes().starts_with(b".") {
        return Err(dotfile(name));
    }
    if !clerk {
        return Ok(out.to_path_buf());
    }
    let names = |p: &Path| -> Option<Vec<PathBuf>> {
        let mut v = Vec::new();
        for c in p.components() {
            match c {
                Component::CurDir => {}
                Component::ParentDir => return None,
                other => v.push(PathBuf::from(other.as_os_str())),
            }
        }
        Some(v)
    };
    if out.is_relative() {
        return match names(out) {
            Some(v) if v.len() == 1 => Ok(notices.join(name)),
            _ => Err(outside()),
        };
    }
    let parent = out.parent().unwrap_or(Path::new("/"));
    match (names(parent), names(notices)) {
        (Some(a), Some(b)) if a == b => Ok(notices.join(name)),
        _ => Err(outside()),
    }
}

/// Nothing has the name `dest` yet, not even a symbolic link.
pub fn check_new(dest: &Path) -> Result<(), Error> {
    match std::fs::symlink_metadata(dest) {
        Ok(m) if m.file_type().is_symlink() => Err(Error::Symlink(dest.to_path_buf())),
        Ok(_) => Err(Error::Exists(dest.to_path_buf())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io(dest)(e)),
    }
}

/// The folder `dir` exists as a folder of this process's user (not a
/// symbolic link), mode 0700; made (with its missing parents) if it is not
/// there.
pub fn private_dir(dir: &Path) -> Result<(), Error> {
    match std::fs::symlink_metadata(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(dir)
                .map_err(io(dir))?;
        }
        Err(e) => return Err(io(dir)(e)),
        Ok(_) => {}
    }
    let m = std::fs::symlink_metadata(dir).map_err(io(dir))?;
    if !m.is_dir() || m.uid() != nix::unistd::geteuid().as_raw() {
        return Err(Error::NotOwnFolder(dir.to_path_buf()));
    }
    if m.mode() & 0o777 != 0o700 {
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).map_err(io(dir))?;
    }
    Ok(())
}

/// A scratch name beside `dest`, this process's and this instant's.
fn scratch_for(dest: &Path) -> PathBuf {
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    dest.with_file_name(format!(".{name}.part-{}-{nanos}", std::process::id()))
}

/// Creates `path` new (never an existing file, never through a link),
/// mode 0600 whatever the umask.
fn create_private(path: &Path) -> std::io::Result<File> {
    let f = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .custom_flags(nix::fcntl::OFlag::O_NOFOLLOW.bits())
        .open(path)?;
    f.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    Ok(f)
}

/// A file being written for `--out`: created new beside its destination
/// (0600), given the destination's name by [`NewFile::publish`] only when
/// complete; dropped unpublished, it is removed.
pub struct NewFile {
    dest: PathBuf,
    scratch: PathBuf,
    file: Option<File>,
}

impl NewFile {
    /// Starts the file `dest` (which nothing may have yet).
    pub fn create(dest: &Path) -> Result<NewFile, Error> {
        check_new(dest)?;
        let scratch = scratch_for(dest);
        let file = create_private(&scratch).map_err(io(dest))?;
        Ok(NewFile {
            dest: dest.to_path_buf(),
            scratch,
            file: Some(file),
        })
    }

    /// Where the content goes meanwhile (for a writer that opens by path,
    /// as SQLite's backup does).
    pub fn scratch(&self) -> &Path {
        &self.scratch
    }

    /// The open scratch file (reopened, without following a link, after
    /// [`NewFile::close`]).
    pub fn file(&mut self) -> Result<&mut File, Error> {
        let f = match self.file.take() {
            Some(f) => f,
            None => OpenOptions::new()
                .write(true)
                .custom_flags(nix::fcntl::OFlag::O_NOFOLLOW.bits())
                .open(&self.scratch)
                .map_err(io(&self.dest))?,
        };
        Ok(self.file.insert(f))
    }

    /// Closes the scratch file (a writer that opens it by path wants it to
    /// itself).
    pub fn close(&mut self) {
        self.file = None;
    }

    /// Syncs the content, gives it its name — refused if anything took the
    /// name meanwhile — and syncs the folder.
    pub fn publish(mut self) -> Result<PathBuf, Error> {
        let dest = self.dest.clone();
        let synced = match self.file.take() {
            Some(f) => f.sync_all(),
            None => File::open(&self.scratch).and_then(|f| f.sync_all()),
        };
        synced.map_err(io(&dest))?;
        if let Err(e) = std::fs::hard_link(&self.scratch, &dest) {
            return Err(match e.kind() {
                std::io::ErrorKind::AlreadyExists => check_new(&dest)
                    .err()
                    .unwrap_or_else(|| Error::Exists(dest.clone())),
                _ => io(&dest)(e),
            });
        }
        let _ = std::fs::remove_file(&self.scratch);
        if let Some(dir) = dest.parent().filter(|d| !d.as_os_str().is_empty()) {
            let _ = File::open(dir).and_then(|d| d.sync_all());
        }
        Ok(dest)
    }
}

impl Drop for NewFile {
    fn drop(&mut self) {
        self.file = None;
        let _ = std::fs::remove_file(&self.scratch);
    }
}

/// Writes `bytes` as the new file `dest` (see [`NewFile`]).
pub fn write_new(dest: &Path, bytes: &[u8]) -> Result<PathBuf, Error> {
    let mut f = NewFile::create(dest)?;
    f.file()?.write_all(bytes).map_err(io(dest))?;
    f.publish()
}

/// The console's own file `path` (a draft, a notice it names itself): a new
/// temporary file beside it (0600, never an existing one, so a planted file
/// or link is not followed) in a folder made 0700, renamed over the old one.
/// `sync`: synced to the disk first (a notice the clerk keeps); a draft
/// rewritten on every key is not, since it must outlive the console's
/// process (a dropped link), not the machine, and an fsync a key would make
/// typing wait on the disk.
pub fn replace_private(path: &Path, bytes: &[u8], sync: bool) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        private_dir(dir).map_err(std::io::Error::other)?;
    }
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".tmp.{}.{nanos}", std::process::id()));
    let tmp = path.with_file_name(name);
    let mut f = create_private(&tmp)?;
    let written = f
        .write_all(bytes)
        .and_then(|()| if sync { f.sync_all() } else { Ok(()) });
    drop(f);
    if let Err(e) = written.and_then(|()| std::fs::rename(&tmp, path)) {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mode(p: &Path) -> u32 {
        std::fs::symlink_metadata(p).unwrap().permissions().mode() & 0o7777
    }

    #[test]
    fn no_dotfile_anywhere_after_the_folder() {
        let n = Path::new("/home/dana/tizilim-notices");
        for (out, part) in [
            (".bashrc", ".bashrc"),
            ("./.bashrc", ".bashrc"),
            (".ssh/authorized_keys", ".ssh"),
            ("notices/.hidden/x.html", ".hidden"),
            ("../x.html", ".."),
            ("/home/dana/.bashrc", ".bashrc"),
            ("/tmp/.profile", ".profile"),
        ] {
            for clerk in [false, true] {
                assert_eq!(
                    place(Path::new(out), clerk, n),
                    Err(Error::Dotfile {
                        path: out.into(),
                        part: part.into()
                    }),
                    "{out} clerk={clerk}"
                );
            }
        }
        // The folders of an absolute path are the writer's own business (a
        // temporary folder `.tmpXYZ`); only the file's own name counts.
        assert_eq!(
            place(Path::new("/tmp/.tmpXYZ/n.html"), false, n).unwrap(),
            Path::new("/tmp/.tmpXYZ/n.html")
        );
        assert_eq!(
            place(Path::new("./out/n.html"), false, n).unwrap(),
            Path::new("./out/n.html")
        );
    }

    #[test]
    fn a_clerk_writes_only_into_the_notices_folder() {
        let n = Path::new("/home/dana/tizilim-notices");
        let inside = |out: &str| place(Path::new(out), true, n);
        assert_eq!(inside("notice.html").unwrap(), n.join("notice.html"));
        assert_eq!(inside("./notice.html").unwrap(), n.join("notice.html"));
        assert_eq!(
            inside("/home/dana/tizilim-notices/notice.html").unwrap(),
            n.join("notice.html")
        );
        assert_eq!(
            inside("/home/dana//tizilim-notices/./notice.html").unwrap(),
            n.join("notice.html")
        );
        for out in [
            "bin/notice.html",
            "tizilim-notices/notice.html",
            "/home/dana/notice.html",
            "/home/dana/tizilim-notices/sub/notice.html",
            "/tmp/notice.html",
            "/",
        ] {
            let e = inside(out).unwrap_err();
            assert_eq!(
                e,
                Error::OutsideNotices {
                    path: out.into(),
                    dir: n.into()
                },
                "{out}"
            );
            assert!(e.to_string().contains("/home/dana/tizilim-notices"), "{e}");
        }
        // Not a clerk: anywhere the login itself may write.
        assert_eq!(
            place(Path::new("/tmp/notice.html"), false, n).unwrap(),
            Path::new("/tmp/notice.html")
        );
        assert_eq!(
            place(Path::new("bin/notice.html"), false, n).unwrap(),
            Path::new("bin/notice.html")
        );
    }

    #[test]
    fn new_files_only_never_through_a_link_mode_0600() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("notice.html");
        assert_eq!(write_new(&dest, b"one").unwrap(), dest);
        assert_eq!(std::fs::read(&dest).unwrap(), b"one");
        assert_eq!(mode(&dest), 0o600);
        // An existing file is kept as it is.
        assert_eq!(write_new(&dest, b"two"), Err(Error::Exists(dest.clone())));
        assert_eq!(std::fs::read(&dest).unwrap(), b"one");
        // A symbolic link, to a file or to nothing, is never written through.
        let target = dir.path().join("bashrc");
        std::fs::write(&target, b"# mine\n").unwrap();
        let link = dir.path().join("link.html");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        assert_eq!(write_new(&link, b"evil"), Err(Error::Symlink(link.clone())));
        assert_eq!(std::fs::read(&target).unwrap(), b"# mine\n");
        let dangling = dir.path().join("dangling.html");
        std::os::unix::fs::symlink(dir.path().join("nothing"), &dangling).unwrap();
        assert_eq!(
            write_new(&dangling, b"evil"),
            Err(Error::Symlink(dangling.clone()))
        );
        assert!(!dir.path().join("nothing").exists());
        // No scratch file is left behind.
        let mut names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(
            names,
            ["bashrc", "dangling.html", "link.html", "notice.html"]
        );
    }

    #[test]
    fn a_name_taken_meanwhile_is_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("seal.json");
        let mut f = NewFile::create(&dest).unwrap();
        f.file().unwrap().write_all(b"mine").unwrap();
        std::fs::write(&dest, b"theirs").unwrap();
        assert_eq!(f.publish(), Err(Error::Exists(dest.clone())));
        assert_eq!(std::fs::read(&dest).unwrap(), b"theirs");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn the_notices_folder_is_made_0700_and_never_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let n = dir.path().join("home/tizilim-notices");
        private_dir(&n).unwrap();
        assert_eq!(mode(&n), 0o700);
        std::fs::set_permissions(&n, std::fs::Permissions::from_mode(0o755)).unwrap();
        private_dir(&n).unwrap();
        assert_eq!(mode(&n), 0o700, "closed again");
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(dir.path().join("home"), &link).unwrap();
        assert_eq!(private_dir(&link), Err(Error::NotOwnFolder(link.clone())));
    }

    #[test]
    fn private_file_and_folder_and_no_link_followed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/notice.html");
        replace_private(&path, b"one", true).unwrap();
        replace_private(&path, b"two", false).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(path.parent().unwrap()), 0o700);
        assert_eq!(
            std::fs::read_dir(path.parent().unwrap()).unwrap().count(),
            1,
            "no temporary left"
        );
    }
}
