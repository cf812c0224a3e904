//! One module per view, each made of panels.
