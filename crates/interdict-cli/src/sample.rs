//! The bundled sample list (in progress).
#![allow(dead_code)]
use interdict_model::Entity;
pub fn sample_entities() -> Vec<Entity> {
    Vec::new()
}
