package io.stratusmail.server.cli;

import io.stratusmail.storage.cassandra.schema.Migration;
import io.stratusmail.storage.cassandra.schema.SchemaMigrator;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code stratus schema migrate}: creates the keyspace (with {@code --replication}) when missing and applies
 * the pending schema migrations, then exits. Meant for a Kubernetes Job before a rollout; {@code serve} applies
 * them at start-up too, so running it is optional. Safe to run while nodes run and from several places at once.
 */
@Command(name = "schema", mixinStandardHelpOptions = true, description = "Schema administration.",
        subcommands = SchemaCommand.Migrate.class)
public final class SchemaCommand {

    @Command(name = "migrate", mixinStandardHelpOptions = true,
            description = "Create the keyspace if missing and apply pending migrations.")
    static final class Migrate implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin AdminTarget target;

        @Override
        public Integer call() {
            String versions = String.join(", ",
                    SchemaMigrator.MIGRATIONS.stream().map(m -> "" + m.version()).toList());
            String keyspace = target.withSession((session, config) -> {
                SchemaMigrator.migrate(session, config);
                return config.keyspace();
            });
            Migration last = SchemaMigrator.MIGRATIONS.get(SchemaMigrator.MIGRATIONS.size() - 1);
            spec.commandLine().getOut().println("schema of keyspace " + keyspace + " is at version " + last.version()
                    + " (migrations " + versions + " applied)");
            return 0;
        }
    }
}
