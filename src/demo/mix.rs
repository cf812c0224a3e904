//! What the posts are made of: the six networks, the four media kinds, how
//! often each (network, media) pair is posted, and how large media files are.
//!
//! The 24 delivery series are numbered `network × 4 + media`, in the
//! order of [`NETWORKS`] and [`MEDIA`].

use super::rng::Rng;

/// The networks, in `meta.json` order.
pub const NETWORKS: [&str; 6] = [
    "twitter",
    "facebook",
    "linkedin",
    "instagram",
    "pinterest",
    "google",
];

/// The media kinds, in the contract's order.
pub const MEDIA: [&str; 4] = ["text", "image", "video", "link"];

/// Index of `image` in [`MEDIA`].
pub const IMAGE: usize = 1;
/// Index of `video` in [`MEDIA`].
pub const VIDEO: usize = 2;

/// Number of (network, media) series.
pub const SERIES: usize = NETWORKS.len() * MEDIA.len();

/// Share of posts per network.
const NETWORK_WEIGHTS: [f64; 6] = [0.33, 0.26, 0.12, 0.13, 0.08, 0.08];

/// Share of each media kind (text, image, video, link) per network.
/// Instagram takes only images and videos; Pinterest is mostly images.
const MEDIA_WEIGHTS: [[f64; 4]; 6] = [
    [0.36, 0.30, 0.06, 0.28],
    [0.20, 0.34, 0.14, 0.32],
    [0.30, 0.20, 0.05, 0.45],
    [0.00, 0.74, 0.26, 0.00],
    [0.00, 0.88, 0.03, 0.09],
    [0.30, 0.30, 0.06, 0.34],
];

/// The series index of a (network, media) pair.
pub fn series_index(network: usize, media: usize) -> usize {
    network * MEDIA.len() + media
}

/// The (network, media) pair of a series index.
pub fn series_parts(series: usize) -> (usize, usize) {
    (series / MEDIA.len(), series % MEDIA.len())
}

/// Draws the series of one post.
pub fn draw_series(rng: &mut Rng) -> usize {
    let network = rng.weighted(&NETWORK_WEIGHTS);
    let media = rng.weighted(MEDIA_WEIGHTS.get(network).map_or(&[], |w| w.as_slice()));
    series_index(network, media)
}

/// Draws the size of a post's media file in bytes: `None` for text and
/// links; images 100 KB–5 MB, videos 2–200 MB, both skewed to the small end.
pub fn draw_media_bytes(rng: &mut Rng, media: usize) -> Option<u64> {
    const KB: u64 = 1_000;
    const MB: u64 = 1_000_000;
    let bands: &[(f64, u64, u64)] = match media {
        IMAGE => &[
            (0.60, 100 * KB, 800 * KB),
            (0.30, 800 * KB, 2_500 * KB),
            (0.10, 2_500 * KB, 5 * MB),
        ],
        VIDEO => &[
            (0.55, 2 * MB, 20 * MB),
            (0.30, 20 * MB, 60 * MB),
            (0.12, 60 * MB, 120 * MB),
            (0.03, 120 * MB, 200 * MB),
        ],
        _ => return None,
    };
    let weights: Vec<f64> = bands.iter().map(|b| b.0).collect();
    let (_, lo, hi) = *bands.get(rng.weighted(&weights))?;
    Some(rng.range(lo, hi))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn series_numbering_round_trips() {
        for s in 0..SERIES {
            let (n, m) = series_parts(s);
            assert_eq!(series_index(n, m), s);
        }
        assert_eq!(series_parts(series_index(3, VIDEO)), (3, VIDEO));
        assert_eq!(MEDIA[IMAGE], "image");
        assert_eq!(MEDIA[VIDEO], "video");
    }

    #[test]
    fn instagram_posts_carry_media() {
        let mut rng = Rng::new(5);
        for _ in 0..20_000 {
            let (n, m) = series_parts(draw_series(&mut rng));
            if NETWORKS[n] == "instagram" {
                assert!(m == IMAGE || m == VIDEO);
            }
        }
    }

    #[test]
    fn media_sizes_stay_in_their_bands() {
        let mut rng = Rng::new(9);
        for _ in 0..5_000 {
            let img = draw_media_bytes(&mut rng, IMAGE).unwrap();
            assert!((100_000..5_000_000).contains(&img));
            let vid = draw_media_bytes(&mut rng, VIDEO).unwrap();
            assert!((2_000_000..200_000_000).contains(&vid));
        }
        assert_eq!(draw_media_bytes(&mut rng, 0), None);
        assert_eq!(draw_media_bytes(&mut rng, 3), None);
    }
}
