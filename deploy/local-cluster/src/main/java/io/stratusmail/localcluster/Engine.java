package io.stratusmail.localcluster;

/** The engines a {@link LocalCluster} can run, each as its own forked JVM. */
public enum Engine {
    /** Apache Cassandra 5.0 (the mail store), answering CQL on the native protocol port. */
    CASSANDRA("cassandra"),
    /** OpenSearch 2.19 (the text index), answering REST on the HTTP port. */
    OPENSEARCH("opensearch");

    private final String directoryName;

    Engine(String directoryName) {
        this.directoryName = directoryName;
    }

    /** The engine's subdirectory of the cluster's data directory, also its name in logs. */
    public String directoryName() {
        return directoryName;
    }
}
