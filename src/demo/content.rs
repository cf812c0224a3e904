//! User content of the posts: made-up business profiles (some with
//! accents, emoji and right-to-left scripts), short post texts (some with
//! HTML-looking markup that must show as text), and the error messages of
//! failed posts.

use super::rng::Rng;

/// Error messages of failed posts, indexed by [`super::delay::Fate::Failed`].
pub const ERRORS: [&str; 7] = [
    "Rate limited by network",
    "Media too large",
    "Token expired",
    "Profile disconnected",
    "Network unavailable (HTTP 503)",
    "Duplicate post rejected by network",
    "Image could not be fetched",
];

/// Names that exercise rendering: accents, emoji, right-to-left text,
/// markup characters and a very long name.
const SPECIAL_PROFILES: [&str; 16] = [
    "Café Ünïcode",
    "🌮 Taco Tuesday",
    "مقهى الصباح",
    "חנות הספרים של דנה",
    "Zürich Velo GmbH",
    "Ōsaka Ramen 🍜",
    "Crème & Brûlée",
    "Señor Tacos",
    "Smith <b>&</b> Sons",
    "Björk's Fjord Tours",
    "北京烤鸭 Duck House",
    "Привет Бейкери",
    "The Extraordinarily Long-Named Artisanal Sourdough Cooperative of North Portland",
    "🚀🚀🚀",
    "l'Atelier d'Été",
    "Ελληνική Ταβέρνα",
];

const PREFIXES: [&str; 32] = [
    "Acme",
    "Blue Harbor",
    "Northwind",
    "Golden Gate",
    "Maple",
    "Riverside",
    "Summit",
    "Little Fox",
    "Copper Kettle",
    "Evergreen",
    "Brightside",
    "Urban",
    "Sunny Day",
    "Red Barn",
    "Oak & Ivy",
    "Silver Line",
    "Harbor View",
    "Pine Street",
    "Lucky Cat",
    "Wild Bloom",
    "Stonebridge",
    "Hilltop",
    "Bluebird",
    "Iron Horse",
    "Fresh Start",
    "Paper Moon",
    "True North",
    "Cedar",
    "Juniper",
    "Lighthouse",
    "Green Leaf",
    "Mosaic",
];

const KINDS: [&str; 24] = [
    "Coffee",
    "Bakery",
    "Studio",
    "Labs",
    "Books",
    "Yoga",
    "Bikes",
    "Dental",
    "Florist",
    "Brewing Co.",
    "Design",
    "Fitness",
    "Pet Supply",
    "Realty",
    "Apparel",
    "Analytics",
    "Kitchen",
    "Records",
    "Travel",
    "Photography",
    "Consulting",
    "Tea House",
    "Hardware",
    "Marketing",
];

/// Post texts; `{}` is replaced by the profile name.
const TEXTS: [&str; 40] = [
    "New roast is in ☕",
    "Our summer sale starts today: 20% off everything!",
    "5 ways to get more out of your morning routine",
    "<b>Big news</b>: we're hiring! Come work with us",
    "Tag a friend who needs this 😂",
    "Join us tonight at 7pm for live music 🎶",
    "Behind the scenes at {}",
    "<script>alert('hi')</script> is just text here",
    "Ünïcödé & émojis 🎉🎉🎉",
    "مرحبا بالجميع! عرض خاص اليوم",
    "Q3 numbers are in 📈 #growth",
    "Happy Monday! What are you working on this week?",
    "Thanks for 10k followers 🙏",
    "Fresh out of the oven 🥐",
    "We're closed on Monday for the holiday",
    "Read the full story on our blog",
    "Meet the team: this week it's Sam from support 👋",
    "Flash sale ⚡ 2 hours only",
    "Our new collection just dropped",
    "What would you like to see next? Reply below ⬇️",
    "It's <i>finally</i> Friday",
    "5 < 6 && 7 > 3: math is fun",
    "Weekend hours: 9–5 Sat, closed Sun",
    "Throwback to our very first day #tbt",
    "Customer story: how {} grew 3×",
    "Pro tip: schedule your posts at 8:00 🕗",
    "Sneak peek 👀",
    "שבוע טוב לכולם!",
    "Webinar on Thursday, save your seat",
    "We've been nominated! Vote for us 🏆",
    "Rain or shine, we're open ☔",
    "New blog post: the ultimate guide to latte art",
    "Ask me anything about social media, 2pm PT",
    "Limited edition, only 50 made",
    "Free shipping on orders over $50 🚚",
    "Our 2016 impact report is live 🌱",
    "Grüße aus Zürich! 🇨🇭",
    "Who else loves a long weekend? 🙋",
    "Photo of the day 📷",
    "&lt;not an entity&gt; &amp; friends",
];

const HASHTAGS: [&str; 12] = [
    "#smallbusiness",
    "#marketing",
    "#socialmedia",
    "#coffee",
    "#design",
    "#startup",
    "#instagood",
    "#photooftheday",
    "#tbt",
    "#travel",
    "#foodie",
    "#mondaymotivation",
];

/// The made-up businesses posting, about three hundred of them; popular
/// ones come first.
pub fn profiles(rng: &mut Rng) -> Vec<String> {
    let mut names: Vec<String> = Vec::with_capacity(320);
    while names.len() < 300 {
        let prefix = rng.pick(&PREFIXES).copied().unwrap_or("Acme");
        let kind = rng.pick(&KINDS).copied().unwrap_or("Coffee");
        let name = format!("{prefix} {kind}");
        if !names.contains(&name) {
            names.push(name);
        }
    }
    // Spread the special names through the list, popular ones included.
    for (i, special) in SPECIAL_PROFILES.iter().enumerate() {
        let at = (i * 19 + 3).min(names.len());
        names.insert(at, (*special).to_owned());
    }
    names
}

/// Picks a profile, favouring the ones early in the list.
pub fn pick_profile<'a>(rng: &mut Rng, profiles: &'a [String]) -> &'a str {
    let n = profiles.len() as u64;
    let i = rng.below(n).min(rng.below(n));
    profiles.get(i as usize).map_or("", String::as_str)
}

const LINK_CHARS: &[u8] = b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/// A post's text: a template, sometimes a hashtag, and a short link for
/// link posts.
pub fn post_text(rng: &mut Rng, profile: &str, is_link: bool) -> String {
    let template = rng.pick(&TEXTS).copied().unwrap_or("");
    let mut text = template.replace("{}", profile);
    if rng.chance(0.3) {
        if let Some(tag) = rng.pick(&HASHTAGS) {
            text.push(' ');
            text.push_str(tag);
        }
    }
    if is_link {
        text.push_str(" https://buff.ly/");
        for _ in 0..7 {
            if let Some(&c) = rng.pick(LINK_CHARS) {
                text.push(char::from(c));
            }
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_few_hundred_distinct_profiles_with_unusual_ones() {
        let p = profiles(&mut Rng::new(1));
        assert!((300..400).contains(&p.len()));
        let mut sorted = p.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), p.len());
        assert!(p.iter().any(|n| n == "Café Ünïcode"));
        assert!(p
            .iter()
            .any(|n| n.chars().any(|c| ('\u{0600}'..'\u{06ff}').contains(&c))));
        assert_eq!(p, profiles(&mut Rng::new(1)));
    }

    #[test]
    fn texts_fill_in_the_profile_and_links() {
        let mut rng = Rng::new(4);
        for _ in 0..500 {
            let t = post_text(&mut rng, "Acme Coffee", true);
            assert!(!t.contains("{}"));
            let link = t.rsplit(' ').next().unwrap();
            assert!(
                link.starts_with("https://buff.ly/") && link.len() == 23,
                "{t}"
            );
        }
        assert!(TEXTS.iter().any(|t| t.contains("<b>")));
    }

    #[test]
    fn profile_picks_favour_the_first() {
        let p = profiles(&mut Rng::new(1));
        let mut rng = Rng::new(8);
        let first_half = (0..10_000)
            .filter(|_| {
                let name = pick_profile(&mut rng, &p);
                p.iter().position(|n| n == name).unwrap() < p.len() / 2
            })
            .count();
        assert!(first_half > 7_000, "{first_half}");
    }
}
