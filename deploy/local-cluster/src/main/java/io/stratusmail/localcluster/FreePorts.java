package io.stratusmail.localcluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds TCP ports that are free on the loopback interface, for tests that run several clusters or
 * servers side by side.
 *
 * <p>The ports are chosen by the operating system from its ephemeral range and released before this
 * method returns, so another process could take one before the caller binds it: the launcher checks
 * again just before it starts an engine and names the port if it is taken.
 */
public final class FreePorts {

    private FreePorts() {
    }

    /**
     * Returns {@code count} distinct ports free on 127.0.0.1 at the time of the call.
     *
     * @param count how many ports, 1-64
     * @throws IllegalArgumentException if count is out of range
     * @throws UncheckedIOException if no port can be bound
     */
    public static int[] find(int count) {
        if (count < 1 || count > 64) {
            throw new IllegalArgumentException("count out of range 1-64: " + count);
        }
        // Hold every socket until all are chosen so the same port cannot come back twice.
        List<ServerSocket> sockets = new ArrayList<>(count);
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket();
                sockets.add(socket);
                socket.setReuseAddress(false);
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free loopback port", e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing a bound, never accepted socket cannot fail in a way that matters here
                }
            }
        }
    }

    /** Returns one port free on 127.0.0.1 at the time of the call; see {@link #find(int)}. */
    public static int find() {
        return find(1)[0];
    }
}
