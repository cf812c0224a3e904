//! The annotations a view's time chart marks: the app's annotations,
//! without the kinds the address hides (`hide=deploy,note`), limited to
//! the panel's subject (its networks or plan), placed on its time axis.
//! Panels build the markers after the first paint (`rest::AfterPaint`
//! around [`crate::chart::ChartMarks`]), so the first chart never waits
//! for the document and none of this is in the first view's module but
//! [`legend_expected`], which the Revenue view reads to hold the
//! legend's place from its first paint.

use crate::api::AnnotationKind;
use crate::chart::Marks;
use crate::load::annotations::AnnotationsDoc;
use crate::model::annotations::{place, TimeAxis};
use crate::state::AppState;
use leptos::prelude::*;

/// Whether the charts of the dataset's whole history (the months) will
/// show an annotations legend: `meta.json` says the dataset has
/// annotations and the address does not hide every kind. Where so, the
/// view holds the legend's line (`--marks-line`) while they load; a day's
/// minutes rarely have one, and hold nothing.
pub fn legend_expected(app: AppState) -> bool {
    app.docs.has_annotations()
        && app
            .route
            .with(|r| AnnotationKind::ALL.iter().any(|k| !r.hide.contains(k)))
}

/// The marks of a time chart on `axis` (`None` while it has none) about
/// `subjects` (empty: everything).
pub fn time_marks(
    app: AppState,
    axis: impl Fn() -> Option<TimeAxis> + Send + Sync + 'static,
    subjects: impl Fn() -> Vec<String> + Send + Sync + 'static,
) -> Signal<Marks> {
    let Some(doc) = use_context::<AnnotationsDoc>() else {
        return Signal::stored(Marks::default());
    };
    let loaded = doc.get(app.docs);
    let marks = Memo::new(move |_| {
        let hidden = app.route.with(|r| r.hide.clone());
        let axis = axis();
        loaded.with(|l| match l {
            // Loading, or the dataset has none (`meta.json` tells which).
            None => Marks {
                pending: app.docs.has_annotations(),
                ..Marks::default()
            },
            Some(Err(e)) => Marks {
                items: Vec::new(),
                failed: Some(e.to_string()),
                pending: false,
            },
            Some(Ok(a)) => Marks {
                items: axis
                    .map(|axis| place(&a.items, axis, &subjects(), &hidden))
                    .unwrap_or_default(),
                failed: None,
                pending: false,
            },
        })
    });
    marks.into()
}
