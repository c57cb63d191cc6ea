package io.infercore.engine;

import io.smallrye.mutiny.Uni;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * At most one call of {@code fetch} in flight: whoever asks while one runs gets that one (a burst
 * arriving as a cache expires costs one upstream call). Once it ends, the next ask starts a new one.
 */
public final class SingleFlight<T> {

    private final AtomicReference<Uni<T>> inFlight = new AtomicReference<>();

    /** The call in flight, or a new one of {@code fetch}. */
    public Uni<T> get(Supplier<Uni<T>> fetch) {
        Uni<T> current = inFlight.get();
        if (current != null) {
            return current;
        }
        AtomicReference<Uni<T>> self = new AtomicReference<>();
        Uni<T> call = Uni.createFrom().<T>deferred(fetch::get)
                .eventually(() -> inFlight.compareAndSet(self.get(), null))
                .memoize().indefinitely();
        self.set(call);
        if (inFlight.compareAndSet(null, call)) {
            return call;
        }
        Uni<T> other = inFlight.get(); // another caller started one between the two reads
        return other != null ? other : call;
    }
}
