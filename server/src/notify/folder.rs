//! The folder adapter: with no SMTP server configured, each message is written as an `.eml`
//! file (the raw MIME message any mail program opens), for development and for trying the
//! product. Files are written whole (a temporary name, then a rename), named
//! `TIME-KIND-KEY.eml` so a listing sorts by time.

use std::path::PathBuf;

use super::mailer::{Mail, MailError, Mailer, Sending};

pub struct FolderMailer {
    folder: PathBuf,
}

impl FolderMailer {
    /// Creates the folder if needed.
    pub fn new(folder: PathBuf) -> Result<FolderMailer, MailError> {
        std::fs::create_dir_all(&folder).map_err(|err| MailError::Config {
            detail: format!("mail_folder {}: {err}", folder.display()),
        })?;
        Ok(FolderMailer { folder })
    }
}

impl Mailer for FolderMailer {
    fn send<'a>(&'a self, mail: &'a Mail) -> Sending<'a> {
        Box::pin(async move {
            let bytes = mail.message()?.formatted();
            let key: String = mail.key.chars().take(16).collect();
            let name = format!("{:013}-{}-{key}.eml", crate::now_ms().max(0), mail.kind);
            let partial = self.folder.join(format!(".{name}.partial"));
            let folder_error = |err: std::io::Error| MailError::Temporary {
                detail: format!("mail_folder: {err}"),
            };
            tokio::fs::write(&partial, &bytes)
                .await
                .map_err(folder_error)?;
            tokio::fs::rename(&partial, self.folder.join(&name))
                .await
                .map_err(folder_error)
        })
    }

    fn describe(&self) -> String {
        format!("the folder {}", self.folder.display())
    }
}
