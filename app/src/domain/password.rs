//! A password a user chooses for themselves, parsed: long enough (length
//! is what makes a password strong, not symbol rules), typed twice alike,
//! not the password it replaces and not the user's own name.

use super::Message;

/// The fewest characters a password may have.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// The most characters accepted (argon2 hashes anything; this bounds work).
pub const MAX_PASSWORD_CHARS: usize = 200;

/// A new password that passed the rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPassword(String);

impl NewPassword {
    /// Parses `new` (and its `repeat`) as the replacement of `current` for
    /// the user called `name`.
    pub fn parse(new: &str, repeat: &str, current: &str, name: &str) -> Result<Self, Message> {
        let chars = new.chars().count();
        if chars < MIN_PASSWORD_CHARS {
            return Err(Message::new(
                format!("Het nieuwe wachtwoord is te kort: minstens {MIN_PASSWORD_CHARS} tekens. Een zin van een paar woorden werkt goed."),
                format!("The new password is too short: at least {MIN_PASSWORD_CHARS} characters. A sentence of a few words works well."),
            ));
        }
        if chars > MAX_PASSWORD_CHARS {
            return Err(Message::new(
                format!("Het nieuwe wachtwoord is te lang: hoogstens {MAX_PASSWORD_CHARS} tekens."),
                format!("The new password is too long: at most {MAX_PASSWORD_CHARS} characters."),
            ));
        }
        if new != repeat {
            return Err(Message::new(
                "De twee nieuwe wachtwoorden zijn niet gelijk. Typ ze nog eens.",
                "The two new passwords differ. Type them again.",
            ));
        }
        if new == current {
            return Err(Message::new(
                "Kies een ander wachtwoord dan het huidige.",
                "Choose a password other than the current one.",
            ));
        }
        let name = name.trim().to_lowercase();
        if !name.is_empty() && new.trim().to_lowercase() == name {
            return Err(Message::new(
                "Uw naam is geen goed wachtwoord. Kies iets dat anderen niet kunnen raden.",
                "Your name is not a good password. Choose something others cannot guess.",
            ));
        }
        Ok(NewPassword(new.to_string()))
    }

    /// The password itself (to hash).
    pub fn into_inner(self) -> String {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_password_follows_the_rules() {
        let ok = "koffie in het buurthuis";
        assert_eq!(
            NewPassword::parse(ok, ok, "start-1234567", "Sanne")
                .unwrap()
                .into_inner(),
            ok
        );
        assert!(NewPassword::parse("kort", "kort", "x", "S")
            .unwrap_err()
            .nl
            .contains("te kort"));
        assert!(NewPassword::parse(ok, "koffie in het buurthuiss", "x", "S")
            .unwrap_err()
            .nl
            .contains("niet gelijk"));
        assert!(NewPassword::parse(ok, ok, ok, "S")
            .unwrap_err()
            .nl
            .contains("ander wachtwoord"));
        let name = "Sanne Hermans Zuyd";
        assert!(NewPassword::parse(name, name, "x", name)
            .unwrap_err()
            .nl
            .contains("naam"));
        let long = "a".repeat(201);
        assert!(NewPassword::parse(&long, &long, "x", "S").is_err());
        // Twelve characters of any kind, counted as characters.
        let accented = "éénéénéénéén";
        assert!(NewPassword::parse(accented, accented, "x", "S").is_ok());
    }
}
