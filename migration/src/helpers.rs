//! Small statement builders shared by migrations written after the first three (those keep
//! their own copies: a migration is never edited after it lands).
use sea_orm_migration::prelude::*;

pub fn fk<T, C, R, K>(
    name: &str,
    table: T,
    column: C,
    to: R,
    to_column: K,
) -> ForeignKeyCreateStatement
where
    T: IntoIden + 'static,
    C: IntoIden + 'static,
    R: IntoIden + 'static,
    K: IntoIden + 'static,
{
    ForeignKey::create()
        .name(name)
        .from(table, column)
        .to(to, to_column)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

pub async fn index<T: IntoIden + 'static, C: IntoIden + Copy + 'static>(
    manager: &SchemaManager<'_>,
    name: &str,
    table: T,
    columns: &[C],
    unique: bool,
) -> Result<(), DbErr> {
    let mut index = Index::create();
    index.name(name).table(table);
    for column in columns {
        index.col(*column);
    }
    if unique {
        index.unique();
    }
    manager.create_index(index.to_owned()).await
}

/// SQLite takes one column per ALTER TABLE.
pub async fn add_columns<T: IntoIden + Copy + 'static>(
    manager: &SchemaManager<'_>,
    table: T,
    columns: Vec<ColumnDef>,
) -> Result<(), DbErr> {
    for mut column in columns {
        manager
            .alter_table(
                Table::alter()
                    .table(table)
                    .add_column(&mut column)
                    .to_owned(),
            )
            .await?;
    }
    Ok(())
}

/// `add_columns` undone, one ALTER TABLE per column for SQLite.
pub async fn drop_columns<T: IntoIden + Copy + 'static, C: IntoIden + Copy + 'static>(
    manager: &SchemaManager<'_>,
    table: T,
    columns: &[C],
) -> Result<(), DbErr> {
    for column in columns {
        manager
            .alter_table(Table::alter().table(table).drop_column(*column).to_owned())
            .await?;
    }
    Ok(())
}
