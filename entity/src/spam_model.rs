use sea_orm::entity::prelude::*;

/// A trained spam classifier; the newest row is the one in use.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "spam_models")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Curator decisions it was trained on, and how many of them were spam.
    pub samples: i32,
    pub spam_samples: i32,
    /// Accuracy on the held-out part of those decisions, when there were enough to hold some out.
    pub held_out_accuracy: Option<f64>,
    /// JSON of the model's parameters.
    #[sea_orm(column_type = "Text")]
    pub model: String,
    pub trained_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
