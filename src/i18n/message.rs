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
    /// Arguments that read differently in each language (a position's
    /// title from data/positions.toml, a cited paragraph `§10` / `п. 10` /
    /// `10-т.`), in the order kk, ru, en.
    pub words: Vec<(&'static str, [String; 3])>,
}

impl Message {
    pub fn new(key: &'static str) -> Message {
        Message {
            key,
            args: Vec::new(),
            nested: Vec::new(),
            words: Vec::new(),
        }
    }

    /// The message with one more argument said in each language's words
    /// (`[kk, ru, en]`).
    pub fn words(mut self, name: &'static str, value: [String; 3]) -> Message {
        self.words.push((name, value));
        self
    }

    /// The message with a paragraph of the Rules cited as each language
    /// cites it (`§12`, `п. 12`, `12-т.`).
    pub fn rule(self, name: &'static str, rule: &str) -> Message {
        let cited = super::Lang::ALL.map(|l| super::cite(l, rule));
        self.words(name, cited)
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
            .chain(self.words.iter().map(|(k, w)| {
                let i = super::Lang::ALL
                    .iter()
                    .position(|l| *l == tr.lang)
                    .unwrap_or(2);
                (*k, crate::rules::text::for_terminal(&w[i], 2000))
            }))
            .collect();
        let args: Vec<(&str, &str)> = inert.iter().map(|(k, v)| (*k, v.as_str())).collect();
        tr.a(self.key, &args)
    }
}
