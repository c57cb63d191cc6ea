package io.infercore.supervisor;

import io.infercore.error.ErrorKind;
import io.infercore.error.InfercoreException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Hands out GPU ids ({@code CUDA_VISIBLE_DEVICES} values) to replicas so two engines never share
 * a device. The pool is the service's own {@code CUDA_VISIBLE_DEVICES} when set; otherwise it is
 * unknown and ids 0, 1, 2, ... are handed out in order (the engine reports a device that does not
 * exist when it starts).
 */
final class GpuAllocator {

    private final List<String> pool;
    private final Map<String, List<String>> owners = new HashMap<>();

    /** @param pool the available ids, or null when unknown */
    GpuAllocator(List<String> pool) {
        this.pool = pool == null ? null : List.copyOf(pool);
    }

    /** The pool named by a {@code CUDA_VISIBLE_DEVICES} value; null (unknown) when it is null. */
    static GpuAllocator fromEnvironment(String visibleDevices) {
        if (visibleDevices == null) {
            return new GpuAllocator(null);
        }
        return new GpuAllocator(Arrays.stream(visibleDevices.split(",")).map(String::strip)
                .filter(s -> !s.isEmpty()).toList());
    }

    synchronized List<String> allocate(String owner, int count) {
        Set<String> used = new HashSet<>();
        owners.values().forEach(used::addAll);
        List<String> picked = new ArrayList<>();
        if (pool != null) {
            pool.stream().filter(id -> !used.contains(id)).limit(count).forEach(picked::add);
            if (picked.size() < count) {
                throw new InfercoreException(ErrorKind.CONFLICT, "n_gpu " + count + " cannot be met: " + picked.size()
                        + " of the GPUs " + pool + " (CUDA_VISIBLE_DEVICES) are free; stop a run or lower n_gpu/replicas");
            }
        } else {
            for (int id = 0; picked.size() < count; id++) {
                if (!used.contains(String.valueOf(id))) {
                    picked.add(String.valueOf(id));
                }
            }
        }
        owners.put(owner, List.copyOf(picked));
        return List.copyOf(picked);
    }

    synchronized void reserve(String owner, List<String> ids) {
        owners.put(owner, List.copyOf(ids));
    }

    synchronized void release(String owner) {
        owners.remove(owner);
    }
}
