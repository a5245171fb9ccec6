package io.stratusmail.server.node;

import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Resources of a node, closed in reverse order of registration; a failure to close one is logged, not thrown. */
final class Lifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(Lifecycle.class);

    /** Something to close. */
    interface Resource {
        void close() throws Exception;
    }

    private record Named(String name, Resource resource) {
    }

    private final Deque<Named> resources = new ArrayDeque<>();

    synchronized void add(String name, Resource resource) {
        resources.push(new Named(name, resource));
    }

    synchronized void closeAll() {
        while (!resources.isEmpty()) {
            Named r = resources.pop();
            try {
                r.resource().close();
            } catch (Exception e) {
                LOG.warn("event=close_failed resource={} error={}", r.name(), e.toString());
            }
        }
    }
}
