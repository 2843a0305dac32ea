//! The crate's tests. They run on the target itself: `freestand test` boots the test build again after a test
//! that panics, faults or hangs, so one test never hides the others; `cargo test` runs them all in one go.
//! They read like Rust's tests, inside `tests! { ... }` (src/testing.rs says why, and lists the attributes).

tests! {
    #[test]
    fn the_answer_is_42() {
        let six = core::hint::black_box(6);
        assert_eq!(six * 7, 42);
    }

    #[test]
    #[should_panic(expected = "attempt to divide by zero")]
    fn dividing_by_zero_panics() {
        // `black_box`: the compiler must not see the zero and refuse to build the division.
        let zero = core::hint::black_box(0);
        let _ = 1 / zero;
    }

    // {{#if alloc}}
    #[test]
    fn the_heap_works_in_tests_too() {
        let squares: alloc::vec::Vec<u32> = (1..=4).map(|n| n * n).collect();
        assert_eq!(squares, [1, 4, 9, 16]);
    }

    // {{/if}}
    #[test]
    #[ignore = "runs only when asked: freestand test -- --ignored"]
    fn an_ignored_test() {
        assert!(u32::MAX.checked_add(1).is_none());
    }
}
