package io.stratusmail.server.cli;

import static io.stratusmail.server.cli.AdminTarget.await;

import io.stratusmail.mailbox.address.Domain;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code stratus domain add|list|delete}: the local domains. While the list is empty every domain is local;
 * once it has an entry, LMTP refuses recipients in other domains ({@code 550 5.1.2}) and accounts and aliases
 * can only be created in listed domains.
 */
@Command(name = "domain", mixinStandardHelpOptions = true,
        description = "Manage local domains (none listed: every domain is local).",
        subcommands = {DomainCommand.Add.class, DomainCommand.ListDomains.class, DomainCommand.Delete.class})
public final class DomainCommand {

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Make DOMAIN local. The first domain added makes every unlisted domain non-local.")
    static final class Add implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin AdminTarget target;
        @Parameters(index = "0", paramLabel = "DOMAIN") String text;

        @Override
        public Integer call() {
            Domain domain = CliArguments.domain(spec, text);
            boolean added = target.withNode(node -> await(node.addresses().addDomain(domain)));
            spec.commandLine().getOut().println(added ? "domain " + domain + " added" : "domain " + domain + " was local already");
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the local domains, one per line.")
    static final class ListDomains implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin AdminTarget target;

        @Override
        public Integer call() {
            List<Domain> domains = target.withNode(node -> await(node.addresses().domains()));
            domains.forEach(d -> spec.commandLine().getOut().println(d));
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Remove DOMAIN from the local domains; its users and aliases stay but get no mail while "
                    + "other domains are listed.")
    static final class Delete implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin AdminTarget target;
        @Parameters(index = "0", paramLabel = "DOMAIN") String text;

        @Override
        public Integer call() {
            Domain domain = CliArguments.domain(spec, text);
            boolean deleted = target.withNode(node -> await(node.addresses().deleteDomain(domain)));
            if (!deleted) {
                throw new CommandLine.ExecutionException(spec.commandLine(), "domain " + domain + " is not a local domain");
            }
            spec.commandLine().getOut().println("domain " + domain + " deleted");
            return 0;
        }
    }
}
