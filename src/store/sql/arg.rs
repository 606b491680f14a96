//! A statement's arguments on both engines: what a Rust value binds as,
//! decided once here, so a service passes `args![id, on, reason]` and both
//! engines store the same thing. An integer of any width is an `i64`
//! (BIGINT on PostgreSQL), `bool` is `0`/`1` as SQLite keeps it, a date is
//! its `YYYY-MM-DD` text (the register's date columns are TEXT on both).

use std::borrow::Cow;
use std::error::Error as StdError;

use chrono::NaiveDate;
use postgres::types::{IsNull, ToSql, Type, to_sql_checked};
use rusqlite::types::{ToSqlOutput, ValueRef};

use super::Value;

/// One argument, borrowed where it can be.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg<'a> {
    Null,
    Int(i64),
    Real(f64),
    Text(Cow<'a, str>),
    Blob(&'a [u8]),
}

/// What can be bound to a `?N`.
pub trait ToArg {
    fn to_arg(&self) -> Arg<'_>;
}

/// `args![a, b, c]`: a statement's arguments as `&[&dyn ToArg]`.
#[macro_export]
macro_rules! args {
    () => { &[] as &[&dyn $crate::store::sql::ToArg] };
    ($($x:expr),+ $(,)?) => {
        &[$(&$x as &dyn $crate::store::sql::ToArg),+] as &[&dyn $crate::store::sql::ToArg]
    };
}

/// Values built at run time (a filter's optional clauses) as arguments.
pub fn dynamic(values: &[Value]) -> Vec<&dyn ToArg> {
    values.iter().map(|v| v as &dyn ToArg).collect()
}

macro_rules! int_arg {
    ($($t:ty),*) => {$(
        impl ToArg for $t {
            fn to_arg(&self) -> Arg<'_> {
                Arg::Int(i64::try_from(*self).unwrap_or(i64::MAX))
            }
        }
    )*};
}
int_arg!(i8, i16, i32, i64, u8, u16, u32, u64, usize, isize);

impl ToArg for bool {
    fn to_arg(&self) -> Arg<'_> {
        Arg::Int(i64::from(*self))
    }
}

impl ToArg for f64 {
    fn to_arg(&self) -> Arg<'_> {
        Arg::Real(*self)
    }
}

impl ToArg for f32 {
    fn to_arg(&self) -> Arg<'_> {
        Arg::Real(f64::from(*self))
    }
}

impl ToArg for str {
    fn to_arg(&self) -> Arg<'_> {
        Arg::Text(Cow::Borrowed(self))
    }
}

impl ToArg for String {
    fn to_arg(&self) -> Arg<'_> {
        Arg::Text(Cow::Borrowed(self))
    }
}

impl ToArg for [u8] {
    fn to_arg(&self) -> Arg<'_> {
        Arg::Blob(self)
    }
}

impl ToArg for Vec<u8> {
    fn to_arg(&self) -> Arg<'_> {
        Arg::Blob(self)
    }
}

impl ToArg for NaiveDate {
    fn to_arg(&self) -> Arg<'_> {
        Arg::Text(Cow::Owned(date_text(*self)))
    }
}

/// `YYYY-MM-DD`, as chrono's `%Y-%m-%d` writes it: written directly for the
/// years of four digits (issue 18: chrono reads its format string afresh
/// each time, a fifth of a date bound in `audit verify`'s replay).
fn date_text(d: NaiveDate) -> String {
    use chrono::Datelike;
    match d.year() {
        y @ 0..=9999 => format!("{y:04}-{:02}-{:02}", d.month(), d.day()),
        _ => d.format("%Y-%m-%d").to_string(),
    }
}

impl<T: ToArg + ?Sized> ToArg for &T {
    fn to_arg(&self) -> Arg<'_> {
        (**self).to_arg()
    }
}

impl<T: ToArg> ToArg for Option<T> {
    fn to_arg(&self) -> Arg<'_> {
        match self {
            Some(v) => v.to_arg(),
            None => Arg::Null,
        }
    }
}

impl ToArg for Value {
    fn to_arg(&self) -> Arg<'_> {
        match self {
            Value::Null => Arg::Null,
            Value::Int(i) => Arg::Int(*i),
            Value::Real(f) => Arg::Real(*f),
            Value::Text(s) => Arg::Text(Cow::Borrowed(s)),
            Value::Blob(b) => Arg::Blob(b),
        }
    }
}

impl ToArg for Arg<'_> {
    fn to_arg(&self) -> Arg<'_> {
        match self {
            Arg::Null => Arg::Null,
            Arg::Int(i) => Arg::Int(*i),
            Arg::Real(f) => Arg::Real(*f),
            Arg::Text(s) => Arg::Text(Cow::Borrowed(s)),
            Arg::Blob(b) => Arg::Blob(b),
        }
    }
}

impl rusqlite::ToSql for Arg<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(match self {
            Arg::Null => ValueRef::Null,
            Arg::Int(i) => ValueRef::Integer(*i),
            Arg::Real(f) => ValueRef::Real(*f),
            Arg::Text(s) => ValueRef::Text(s.as_bytes()),
            Arg::Blob(b) => ValueRef::Blob(b),
        }))
    }
}

type BoxError = Box<dyn StdError + Sync + Send>;

impl ToSql for Arg<'_> {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut postgres::types::private::BytesMut,
    ) -> Result<IsNull, BoxError> {
        match (self, ty) {
            (Arg::Null, _) => Ok(IsNull::Yes),
            (Arg::Int(i), &Type::INT8) => i.to_sql(ty, out),
            (Arg::Int(i), &Type::INT4) => i32::try_from(*i)?.to_sql(ty, out),
            (Arg::Int(i), &Type::INT2) => i16::try_from(*i)?.to_sql(ty, out),
            (Arg::Int(i), &Type::BOOL) => (*i != 0).to_sql(ty, out),
            (Arg::Int(i), &Type::FLOAT8) => (*i as f64).to_sql(ty, out),
            (Arg::Real(f), &Type::FLOAT8) => f.to_sql(ty, out),
            (Arg::Real(f), &Type::FLOAT4) => (*f as f32).to_sql(ty, out),
            (Arg::Text(s), &Type::TEXT | &Type::VARCHAR | &Type::BPCHAR | &Type::NAME) => {
                s.as_ref().to_sql(ty, out)
            }
            (Arg::Blob(b), &Type::BYTEA) => b.to_sql(ty, out),
            (v, ty) => {
                let what = match v {
                    Arg::Null => "NULL",
                    Arg::Int(_) => "an integer",
                    Arg::Real(_) => "a real",
                    Arg::Text(_) => "text",
                    Arg::Blob(_) => "a blob",
                };
                Err(format!("{what} cannot be bound where {ty} is expected").into())
            }
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_date_binds_as_chrono_writes_it() {
        use chrono::NaiveDate;
        for (y, m, d) in [
            (0, 1, 1),
            (9, 2, 3),
            (999, 12, 31),
            (2026, 3, 2),
            (9999, 12, 31),
            (10000, 1, 1),
            (-1, 6, 15),
        ] {
            let date = NaiveDate::from_ymd_opt(y, m, d).expect("a date");
            assert_eq!(super::date_text(date), date.format("%Y-%m-%d").to_string());
        }
    }

    use super::*;

    #[test]
    fn rust_values_bind_as_sqlite_keeps_them() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        assert_eq!(d.to_arg(), Arg::Text(Cow::Borrowed("2026-12-03")));
        assert_eq!(true.to_arg(), Arg::Int(1));
        assert_eq!(7usize.to_arg(), Arg::Int(7));
        assert_eq!(None::<&str>.to_arg(), Arg::Null);
        assert_eq!(Some("x").to_arg(), Arg::Text(Cow::Borrowed("x")));
    }

    #[test]
    fn an_argument_refuses_a_parameter_of_another_kind() {
        let mut out = postgres::types::private::BytesMut::new();
        assert!(Arg::Text("x".into()).to_sql(&Type::INT8, &mut out).is_err());
        assert!(Arg::Int(1 << 40).to_sql(&Type::INT4, &mut out).is_err());
        assert!(Arg::Int(5).to_sql(&Type::INT8, &mut out).is_ok());
    }
}
