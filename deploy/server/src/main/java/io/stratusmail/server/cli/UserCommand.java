package io.stratusmail.server.cli;

import static io.stratusmail.server.cli.AdminTarget.await;

import io.stratusmail.mailbox.user.UnknownUserException;
import io.stratusmail.mailbox.user.Username;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code stratus user add|passwd|list|delete|quota}: account administration (see {@link AdminTarget} for where).
 * Addresses are case-insensitive and kept in lower case.
 */
@Command(name = "user", mixinStandardHelpOptions = true, description = "Manage accounts.",
        subcommands = {UserCommand.Add.class, UserCommand.Passwd.class, UserCommand.ListUsers.class,
                UserCommand.Delete.class, UserQuotaCommand.class})
public final class UserCommand {

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Create an account with an empty INBOX, or set the password of an existing one.")
    static final class Add implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin AdminTarget target;
        @Parameters(index = "0", paramLabel = "ADDRESS") String address;
        @Option(names = "--password", required = true, description = "The password.") String password;

        @Override
        public Integer call() {
            Username user = CliArguments.username(spec, address);
            char[] secret = CliArguments.password(spec, password);
            boolean existed = target.withNode(node -> {
                boolean exists = await(node.accounts().exists(user));
                if (!exists) {
                    await(node.addresses().checkNewUser(user));
                }
                await(node.accounts().createOrUpdate(user, secret));
                return exists;
            });
            spec.commandLine().getOut().println(existed ? "user " + user + ": password set" : "user " + user + " created");
            return 0;
        }
    }

    @Command(name = "passwd", mixinStandardHelpOptions = true, description = "Change the password of an existing account.")
    static final class Passwd implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin AdminTarget target;
        @Parameters(index = "0", paramLabel = "ADDRESS") String address;
        @Option(names = "--password", required = true, description = "The new password.") String password;

        @Override
        public Integer call() {
            Username user = CliArguments.username(spec, address);
            char[] secret = CliArguments.password(spec, password);
            target.withNode(node -> await(node.accounts().changePassword(user, secret)));
            spec.commandLine().getOut().println("user " + user + ": password changed");
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the accounts, one per line.")
    static final class ListUsers implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin AdminTarget target;

        @Override
        public Integer call() {
            List<Username> users = target.withNode(node -> await(node.accounts().list()));
            users.forEach(u -> spec.commandLine().getOut().println(u));
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Delete an account with all its mailboxes and messages.")
    static final class Delete implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin AdminTarget target;
        @Parameters(index = "0", paramLabel = "ADDRESS") String address;

        @Override
        public Integer call() {
            Username user = CliArguments.username(spec, address);
            boolean deleted = target.withNode(node -> await(node.accounts().delete(user)));
            if (!deleted) {
                throw new UnknownUserException(user);
            }
            spec.commandLine().getOut().println("user " + user + " deleted with all its mail");
            return 0;
        }
    }
}
