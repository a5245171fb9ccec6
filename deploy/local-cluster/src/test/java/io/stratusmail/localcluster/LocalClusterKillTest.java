package io.stratusmail.localcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;

/**
 * A crash and a restart on the same data: {@link LocalCluster#kill()} ends Cassandra with SIGKILL at once, and
 * {@link LocalCluster#start()} brings it back on the same directory and ports with its writes (replayed from the
 * commit log, since nothing was flushed); with a durable commit log, even those acknowledged in the last
 * milliseconds before the kill. Cassandra starts four times in this class.
 */
class LocalClusterKillTest {

    @TempDir
    Path dataDirectory;

    private LocalCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void killedCassandraComesBackOnTheSameDirectoryWithTheWritesOfItsCommitLog() throws Exception {
        // no throwawayData: a killed node must be able to start again
        cluster = LocalCluster.builder(dataDirectory).engines(Engine.CASSANDRA).freePorts().testSpeedFlags(true)
                .cassandraHeapMiB(256, 512).build();
        cluster.kill(); // not started: nothing to do
        CassandraEndpoint endpoint = cluster.start().cassandra().orElseThrow();
        long pid = cluster.pids().get(Engine.CASSANDRA);
        try (CqlSession session = session(endpoint)) {
            session.execute("CREATE KEYSPACE crash WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
            session.execute("CREATE TABLE crash.delivered (id int PRIMARY KEY, subject text)");
            for (int i = 0; i < 50; i++) {
                session.execute("INSERT INTO crash.delivered (id, subject) VALUES (" + i + ", 'message " + i + "')");
            }
        }
        // periodic commit log (the default): its sync markers move every 100 ms, let them pass the last insert
        Thread.sleep(1_000);

        cluster.kill();

        assertThat(cluster.isRunning()).isFalse();
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(Files.exists(dataDirectory.resolve("cassandra").resolve("engine.pid"))).isFalse();
        assertRefused(endpoint);
        assertThatThrownBy(cluster::endpoints).isInstanceOf(IllegalStateException.class);
        cluster.kill(); // already down: nothing to do

        CassandraEndpoint again = cluster.start().cassandra().orElseThrow();

        assertThat(again).isEqualTo(endpoint);
        assertThat(cluster.pids().get(Engine.CASSANDRA)).isNotEqualTo(pid);
        try (CqlSession session = session(again)) {
            assertThat(session.execute("SELECT count(*) FROM crash.delivered").one().getLong(0)).isEqualTo(50);
            Row row = session.execute("SELECT subject FROM crash.delivered WHERE id = 49").one();
            assertThat(row).isNotNull();
            assertThat(row.getString(0)).isEqualTo("message 49");
        }
    }

    @Test
    void withADurableCommitLogEveryWriteAcknowledgedUpToTheKillIsThereAfterTheRestart() throws Exception {
        cluster = LocalCluster.builder(dataDirectory).engines(Engine.CASSANDRA).freePorts().testSpeedFlags(true)
                .cassandraHeapMiB(256, 512).durableCommitLog(true).build();
        CassandraEndpoint endpoint = cluster.start().cassandra().orElseThrow();
        assertThat(Files.readString(dataDirectory.resolve("cassandra/conf/cassandra.yaml")))
                .contains("commitlog_sync: batch\ncommitlog_sync_period: 0ms\n");
        Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger next = new AtomicInteger();
        AtomicBoolean killed = new AtomicBoolean();
        try (CqlSession session = session(endpoint)) {
            session.execute("CREATE KEYSPACE crash WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
            session.execute("CREATE TABLE crash.mailbox (id int, uid int, next_uid int STATIC, PRIMARY KEY (id, uid))");
            PreparedStatement insert = session.prepare(
                    "INSERT INTO crash.mailbox (id, uid, next_uid) VALUES (?, ?, ?) IF NOT EXISTS");
            CountDownLatch writers = new CountDownLatch(WRITERS);
            for (int w = 0; w < WRITERS; w++) {
                write(session, insert, next, acknowledged, killed, writers);
            }
            while (acknowledged.size() < 300) {
                Thread.sleep(10);
            }
            cluster.kill();
            killed.set(true);
            assertThat(writers.await(60, TimeUnit.SECONDS)).as("writers stopped").isTrue();
        }

        CassandraEndpoint again = cluster.start().cassandra().orElseThrow();

        try (CqlSession session = session(again)) {
            Set<Integer> found = new HashSet<>();
            for (Row row : session.execute("SELECT id FROM crash.mailbox")) {
                found.add(row.getInt(0));
            }
            assertThat(found).as("rows after the restart").containsAll(acknowledged);
        }
    }

    private static final int WRITERS = 16;

    /**
     * One writer: conditional inserts (Paxos, like the store's appends) one after the other, until one fails
     * because the node is gone or the kill is done.
     */
    private static void write(CqlSession session, PreparedStatement insert, AtomicInteger next, Set<Integer> acknowledged,
                              AtomicBoolean killed, CountDownLatch done) {
        int id = next.incrementAndGet();
        session.executeAsync(insert.bind(id, 1, 2)).whenComplete((rs, error) -> {
            if (error != null) {
                done.countDown();
                return;
            }
            if (rs.wasApplied()) {
                acknowledged.add(id);
            }
            if (killed.get()) {
                done.countDown();
            } else {
                write(session, insert, next, acknowledged, killed, done);
            }
        });
    }

    private static CqlSession session(CassandraEndpoint endpoint) {
        return CqlSession.builder()
                .addContactPoint(endpoint.address())
                .withLocalDatacenter(endpoint.localDatacenter())
                .withConfigLoader(DriverConfigLoader.programmaticBuilder()
                        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(30))
                        .build())
                .build();
    }

    private static void assertRefused(CassandraEndpoint endpoint) {
        assertThatThrownBy(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), 1_000);
            }
        }).as("CQL port %d still accepts connections", endpoint.port()).isInstanceOf(ConnectException.class);
    }
}
