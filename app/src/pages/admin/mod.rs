pub mod submitted;
