package io.stratusmail.server.cli;

import io.stratusmail.localcluster.CassandraEndpoint;
import io.stratusmail.mailbox.user.Username;
import io.stratusmail.server.node.NodeConfig;
import io.stratusmail.server.node.StratusNode;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code stratus user add|list|delete}: account administration, against the local engines of
 * {@code --data-dir} (those of a running {@code stratus dev}, or started for the command) or against the
 * cluster given with {@code --cassandra}.
 */
@Command(name = "user", mixinStandardHelpOptions = true, description = "Manage accounts.",
        subcommands = {UserCommand.Add.class, UserCommand.ListUsers.class, UserCommand.Delete.class})
public final class UserCommand {

    /** Where the accounts are: a Cassandra cluster or the local engines. */
    static final class Target {
        @Mixin
        LocalClusterOptions local;

        @Option(names = "--cassandra", defaultValue = "${env:STRATUS_CASSANDRA}",
                description = "Cassandra host:port[/datacenter] instead of the local engines (env STRATUS_CASSANDRA).")
        String cassandra;

        @Option(names = "--keyspace", defaultValue = "${env:STRATUS_KEYSPACE:-" + LocalClusterOptions.KEYSPACE + "}",
                description = "Keyspace (default: stratus).")
        String keyspace;

        <T> T run(java.util.function.Function<StratusNode, T> action) {
            RunningCluster cluster;
            if (cassandra != null && !cassandra.isBlank()) {
                CassandraEndpoint c = CassandraEndpoint.parse(cassandra);
                cluster = new RunningCluster(c.host() + ":" + c.port(), c.localDatacenter(), null, null);
            } else {
                cluster = local.start(false);
            }
            try (cluster; StratusNode node = StratusNode.start(new NodeConfig(cluster.cassandraContactPoint(),
                    cluster.datacenter(), keyspace, 1, null, Set.of(), "127.0.0.1", 0, "127.0.0.1", 0, "stratus"))) {
                return action.apply(node);
            }
        }
    }

    static <T> T await(java.util.concurrent.CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IllegalStateException(cause.getMessage(), cause);
        }
    }

    static Username username(CommandLine.Model.CommandSpec spec, String address) {
        try {
            return Username.of(address);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "invalid address '" + address + "': " + e.getMessage());
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Create an account, or set its password.")
    static final class Add implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Mixin Target target;
        @Parameters(index = "0", paramLabel = "ADDRESS") String address;
        @Option(names = "--password", required = true, description = "The password.") String password;

        @Override
        public Integer call() {
            Username user = username(spec, address);
            if (password.isEmpty()) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--password must not be empty");
            }
            target.run(node -> await(node.accounts().createOrUpdate(user, password.toCharArray())));
            System.out.println("user " + user + " saved");
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the accounts.")
    static final class ListUsers implements Callable<Integer> {
        @Mixin Target target;

        @Override
        public Integer call() {
            target.run(node -> await(node.accounts().list())).forEach(System.out::println);
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete an account.")
    static final class Delete implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Mixin Target target;
        @Parameters(index = "0", paramLabel = "ADDRESS") String address;

        @Override
        public Integer call() {
            Username user = username(spec, address);
            boolean deleted = target.run(node -> await(node.accounts().delete(user)));
            System.out.println(deleted ? "user " + user + " deleted" : "no user " + user);
            return deleted ? 0 : 1;
        }
    }
}
