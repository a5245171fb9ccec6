package io.stratusmail.server.cli;

import io.stratusmail.localcluster.CassandraEndpoint;
import io.stratusmail.localcluster.Endpoints;
import io.stratusmail.localcluster.LocalCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code stratus cluster run}: runs a local Cassandra and OpenSearch node until stopped, and writes where
 * they answer as {@code STRATUS_CASSANDRA=host:port/dc} and {@code STRATUS_OPENSEARCH=url} lines to an env
 * file once both are ready. {@code ./stratus test} uses it to give the whole build one cluster.
 */
@Command(name = "cluster", mixinStandardHelpOptions = true, description = "Local engine management.",
        subcommands = ClusterCommand.Run.class)
public final class ClusterCommand {

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Run local Cassandra and OpenSearch nodes on free ports until SIGINT/SIGTERM.")
    static final class Run implements Callable<Integer> {

        @Option(names = "--data-dir", required = true, description = "Directory for the engines' data.")
        Path dataDir;

        @Option(names = "--env-file", required = true, description = "Where to write the endpoints once ready.")
        Path envFile;

        @Option(names = "--ephemeral", description = "Throwaway data: test speed flags (data may be lost on a hard kill).")
        boolean ephemeral;

        @Override
        public Integer call() throws Exception {
            LocalCluster cluster = LocalCluster.builder(dataDir).freePorts()
                    .testSpeedFlags(ephemeral).throwawayData(ephemeral).build();
            Endpoints endpoints = cluster.start();
            CassandraEndpoint c = endpoints.cassandra().orElseThrow();
            String env = "STRATUS_CASSANDRA=" + c.host() + ":" + c.port() + "/" + c.localDatacenter() + "\n"
                    + "STRATUS_OPENSEARCH=" + endpoints.openSearch().orElseThrow() + "\n";
            Path tmp = envFile.resolveSibling(envFile.getFileName() + ".tmp");
            Files.writeString(tmp, env, StandardCharsets.UTF_8);
            Files.move(tmp, envFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            System.out.print(env);
            System.out.flush();
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                cluster.close();
                stopped.countDown();
            }, "cluster-run-shutdown"));
            stopped.await();
            return 0;
        }
    }
}
