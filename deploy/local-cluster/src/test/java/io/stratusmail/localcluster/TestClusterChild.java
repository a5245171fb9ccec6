package io.stratusmail.localcluster;

/**
 * A test JVM in miniature for {@link LauncherExitTest}: takes shared engines from {@link TestCluster}
 * ({@code all} or {@code cassandra}), prints {@code READY <cassandra endpoint> [<opensearch url>]} and
 * waits to be killed.
 */
public final class TestClusterChild {

    private TestClusterChild() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length == 1 && args[0].equals("cassandra")) {
            System.out.println("READY " + TestCluster.cassandra());
        } else {
            Endpoints endpoints = TestCluster.all();
            System.out.println("READY " + endpoints.cassandra().orElseThrow() + " " + endpoints.openSearch().orElseThrow());
        }
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
