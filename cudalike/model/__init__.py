"""Performance model of cudalike: device profiles and (later) the cost model built on them."""
