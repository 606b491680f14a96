//! A message for a person, kept as a catalog key and its arguments until it is
//! shown, so that the CLI and the console render the same refusal in the
//! reader's language (`data/i18n/*.ftl`, the `err-` keys).

use super::Tr;

/// A catalog key with its named arguments. Arguments are made inert when the
/// message is rendered: a path or a login from the command line never reaches
/// the terminal with its control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub key: &'static str,
    pub args: Vec<(&'static str, String)>,
    /// Arguments that are messages themselves (a certificate's refusal
    /// inside a notice's), rendered in the same language.
    pub nested: Vec<(&'static str, Message)>,
}

impl Message {
    pub fn new(key: &'static str) -> Message {
        Message {
            key,
            args: Vec::new(),
            nested: Vec::new(),
        }
    }

    /// The message with one more argument.
    pub fn arg(mut self, name: &'static str, value: impl ToString) -> Message {
        self.args.push((name, value.to_string()));
        self
    }

    /// The message with one more argument that is itself a message.
    pub fn nest(mut self, name: &'static str, value: Message) -> Message {
        self.nested.push((name, value));
        self
    }

    /// The message in `tr`'s language, each argument inert and bounded.
    pub fn render(&self, tr: &Tr) -> String {
        let inert: Vec<(&str, String)> = self
            .args
            .iter()
            .map(|(k, v)| (*k, crate::rules::text::for_terminal(v, 2000)))
            .chain(self.nested.iter().map(|(k, m)| (*k, m.render(tr))))
            .collect();
        let args: Vec<(&str, &str)> = inert.iter().map(|(k, v)| (*k, v.as_str())).collect();
        tr.a(self.key, &args)
    }
}
