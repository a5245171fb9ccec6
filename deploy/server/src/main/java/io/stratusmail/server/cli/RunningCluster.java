package io.stratusmail.server.cli;

/**
 * Endpoints of the Cassandra (and maybe OpenSearch) node a command talks to, and whether closing stops them.
 *
 * @param cassandraContactPoint {@code host:port}
 * @param datacenter            Cassandra local datacenter
 * @param openSearchUrl         OpenSearch base URL, null when not started
 * @param owner                 what to stop on {@link #close()}; null when the nodes belong to someone else
 */
record RunningCluster(String cassandraContactPoint, String datacenter, String openSearchUrl, AutoCloseable owner)
        implements AutoCloseable {

    @Override
    public void close() {
        if (owner == null) {
            return;
        }
        try {
            owner.close();
        } catch (Exception e) {
            System.err.println("stratus: stopping the local engines failed: " + e);
        }
    }
}
