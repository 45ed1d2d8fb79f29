//! The keyboard rules of a combobox's suggestion list (WAI-ARIA 1.2 combobox pattern), as a plain
//! function so they are tested without a browser.

/// A key that moves the highlight through the suggestions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    Down,
    Up,
}

/// The highlighted option after `key`, in a list of `len` options where `active` is highlighted now:
/// Down from nothing highlights the first, Up from nothing the last; both wrap around; an empty list
/// highlights nothing.
#[must_use]
pub fn moved(active: Option<usize>, len: usize, key: Move) -> Option<usize> {
    if len == 0 {
        return None;
    }
    Some(match (active.filter(|i| *i < len), key) {
        (None, Move::Down) => 0,
        (None, Move::Up) => len - 1,
        (Some(i), Move::Down) => (i + 1) % len,
        (Some(i), Move::Up) => (i + len - 1) % len,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrows_move_through_the_suggestions_and_wrap() {
        assert_eq!(moved(None, 3, Move::Down), Some(0));
        assert_eq!(moved(Some(0), 3, Move::Down), Some(1));
        assert_eq!(moved(Some(2), 3, Move::Down), Some(0));
        assert_eq!(moved(None, 3, Move::Up), Some(2));
        assert_eq!(moved(Some(0), 3, Move::Up), Some(2));
        assert_eq!(
            moved(Some(5), 3, Move::Down),
            Some(0),
            "a stale highlight restarts"
        );
        assert_eq!(moved(Some(0), 0, Move::Down), None);
    }
}
