//! The staff roster's CSV format, for `kudos-server staff import|export`.
//!
//! Columns: `id,name,role,location,nicknames,email,manager_email[,wants_email]`; `nicknames` is
//! separated by `;`. A header row is required (so a column order mistake is caught, not
//! imported). The two email columns are kept for notifications and never served by
//! `GET /v1/staff`. `wants_email` (`yes`/`no`, empty is yes) says whether the member wants an
//! email when praise about them is approved; files without the column import as before (yes).

use std::io::{Read, Write};

use crate::store::StaffRecord;

pub const COLUMNS: [&str; 7] = [
    "id",
    "name",
    "role",
    "location",
    "nicknames",
    "email",
    "manager_email",
];

/// The optional last column.
pub const WANTS_EMAIL: &str = "wants_email";

/// Why a roster file can't be imported; each names the line.
#[derive(Debug, thiserror::Error)]
pub enum RosterError {
    #[error("the header row must be: {}[,{WANTS_EMAIL}]", COLUMNS.join(","))]
    Header,
    #[error("line {line}: {detail}")]
    Row { line: u64, detail: String },
}

/// Reads a roster CSV.
pub fn read_csv(input: impl Read) -> Result<Vec<StaffRecord>, RosterError> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(input);
    let headers = reader.headers().map_err(|_| RosterError::Header)?;
    let headers: Vec<&str> = headers.iter().collect();
    let with_wants = headers.len() == COLUMNS.len() + 1 && headers[COLUMNS.len()] == WANTS_EMAIL;
    if headers[..headers.len().min(COLUMNS.len())] != COLUMNS
        || !(headers.len() == COLUMNS.len() || with_wants)
    {
        return Err(RosterError::Header);
    }
    let optional = |value: &str| (!value.is_empty()).then(|| value.to_owned());
    let mut records = Vec::new();
    for row in reader.records() {
        let row = row.map_err(|err| RosterError::Row {
            line: err.position().map(|p| p.line()).unwrap_or(0),
            detail: err.to_string(),
        })?;
        let line = row.position().map(|p| p.line()).unwrap_or(0);
        let field = |index: usize| row.get(index).unwrap_or("");
        if field(0).is_empty() || field(1).is_empty() {
            return Err(RosterError::Row {
                line,
                detail: "id and name are required".into(),
            });
        }
        for (index, name) in [(5, "email"), (6, "manager_email")] {
            if !field(index).is_empty() && !field(index).contains('@') {
                return Err(RosterError::Row {
                    line,
                    detail: format!("{name} is not an email address"),
                });
            }
        }
        let wants_email = match field(7).to_ascii_lowercase().as_str() {
            "" | "yes" | "y" | "true" | "1" | "oui" => true,
            "no" | "n" | "false" | "0" | "non" => false,
            _ => {
                return Err(RosterError::Row {
                    line,
                    detail: "wants_email must be yes or no".into(),
                })
            }
        };
        records.push(StaffRecord {
            id: field(0).to_owned(),
            name: field(1).to_owned(),
            role: optional(field(2)),
            location: optional(field(3)),
            nicknames: field(4)
                .split(';')
                .map(str::trim)
                .filter(|nick| !nick.is_empty())
                .map(str::to_owned)
                .collect(),
            email: optional(field(5)),
            manager_email: optional(field(6)),
            wants_email,
        });
    }
    Ok(records)
}

/// Writes a roster CSV that `read_csv` reads back unchanged.
pub fn write_csv(records: &[StaffRecord], output: impl Write) -> csv::Result<()> {
    let mut writer = csv::Writer::from_writer(output);
    writer.write_record(COLUMNS.iter().copied().chain([WANTS_EMAIL]))?;
    for record in records {
        writer.write_record([
            record.id.as_str(),
            record.name.as_str(),
            record.role.as_deref().unwrap_or(""),
            record.location.as_deref().unwrap_or(""),
            &record.nicknames.join(";"),
            record.email.as_deref().unwrap_or(""),
            record.manager_email.as_deref().unwrap_or(""),
            if record.wants_email { "yes" } else { "no" },
        ])?;
    }
    writer.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_roster_round_trips_through_csv() {
        let text = "id,name,role,location,nicknames,email,manager_email\n\
                    m-204,Maribel Ortiz,Cashier,Larch Street,Mari; Belle,maribel@shop.example,lead@shop.example\n\
                    d-7,\"Dev, Jr.\",,,,,\n";
        let records = read_csv(text.as_bytes()).unwrap();
        assert_eq!(records.len(), 2);
        assert_eq!(records[0].nicknames, ["Mari", "Belle"]);
        assert_eq!(records[1].name, "Dev, Jr.");
        assert_eq!(records[1].role, None);
        assert!(records[0].wants_email, "files without the column mean yes");
        let mut out = Vec::new();
        write_csv(&records, &mut out).unwrap();
        assert_eq!(read_csv(out.as_slice()).unwrap(), records);
    }

    #[test]
    fn the_wants_email_column_is_optional() {
        let text = "id,name,role,location,nicknames,email,manager_email,wants_email\n\
                    a,A,,,,a@shop.example,,no\nb,B,,,,,,\n";
        let records = read_csv(text.as_bytes()).unwrap();
        assert!(!records[0].wants_email);
        assert!(records[1].wants_email);
        let bad =
            "id,name,role,location,nicknames,email,manager_email,wants_email\na,A,,,,,,maybe\n";
        assert!(read_csv(bad.as_bytes()).is_err());
    }

    #[test]
    fn bad_rosters_name_the_problem() {
        assert!(matches!(
            read_csv("name,id\nx,y\n".as_bytes()),
            Err(RosterError::Header)
        ));
        let missing = "id,name,role,location,nicknames,email,manager_email\n,Nobody,,,,,\n";
        assert!(read_csv(missing.as_bytes())
            .unwrap_err()
            .to_string()
            .contains("line 2"));
        let email = "id,name,role,location,nicknames,email,manager_email\na,A,,,,not-an-email,\n";
        assert!(read_csv(email.as_bytes())
            .unwrap_err()
            .to_string()
            .contains("email"));
    }
}
