//! The annotations a view's time chart marks: the app's annotations
//! (asked for once the chart has data and has been painted), without the
//! kinds the address hides (`hide=deploy,note`), limited to the panel's
//! subject (its networks or plan), placed on its time axis.

use crate::chart::Marks;
use crate::load::annotations::AnnotationsDoc;
use crate::model::annotations::{place, TimeAxis};
use crate::state::AppState;
use leptos::prelude::*;

/// The marks of a time chart on `axis` (`None` while it has none) about
/// `subjects` (empty: everything), once `ready` (the chart has data).
pub fn time_marks(
    app: AppState,
    axis: impl Fn() -> Option<TimeAxis> + Send + Sync + 'static,
    subjects: impl Fn() -> Vec<String> + Send + Sync + 'static,
    ready: impl Fn() -> bool + 'static,
) -> Signal<Marks> {
    let Some(doc) = use_context::<AnnotationsDoc>() else {
        return Signal::stored(Marks::default());
    };
    let loaded = doc.after(ready);
    let marks = Memo::new(move |_| {
        let hidden = app.route.with(|r| r.hide.clone());
        let axis = axis();
        loaded.with(|l| match l {
            None => Marks::default(),
            Some(Err(e)) => Marks {
                items: Vec::new(),
                failed: Some(e.to_string()),
            },
            Some(Ok(a)) => Marks {
                items: axis
                    .map(|axis| place(&a.items, axis, &subjects(), &hidden))
                    .unwrap_or_default(),
                failed: None,
            },
        })
    });
    marks.into()
}
