/**
 * The local cluster launcher: real Apache Cassandra 5.0 and OpenSearch 2.19 nodes as forked JVMs
 * from Maven Central artifacts, for development ({@link io.stratusmail.localcluster.LocalCluster})
 * and for integration tests ({@link io.stratusmail.localcluster.TestCluster}).
 *
 * <p>The engines' jars stay out of the caller's classpath: the engine modules carry their resolved
 * classpath as a resource, and the launcher forks {@code java} with it. Each engine JVM runs behind
 * {@link io.stratusmail.localcluster.ParentWatchdog}, so it ends when its launcher ends, however
 * that happens.
 */
package io.stratusmail.localcluster;
