package io.stratusmail.server.cli;

import static io.stratusmail.server.cli.AdminTarget.await;

import io.stratusmail.mailbox.address.Alias;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code stratus alias add|list|delete}: address aliases ({@code sales@example.com alice@example.com}) and
 * whole-domain aliases ({@code @old.example @new.example}). See
 * {@link io.stratusmail.mailbox.address.Addresses#addAlias} for what is refused.
 */
@Command(name = "alias", mixinStandardHelpOptions = true, description = "Manage aliases.",
        subcommands = {AliasCommand.Add.class, AliasCommand.ListAliases.class, AliasCommand.Delete.class})
public final class AliasCommand {

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Deliver mail for ALIAS to TARGET: local@domain user@domain, or @olddomain @newdomain "
                    + "for every address of a domain. Replaces an alias with the same ALIAS.")
    static final class Add implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin AdminTarget target;
        @Parameters(index = "0", paramLabel = "ALIAS") String source;
        @Parameters(index = "1", paramLabel = "TARGET") String destination;

        @Override
        public Integer call() {
            Alias alias = CliArguments.alias(spec, source, destination);
            target.withNode(node -> await(node.addresses().addAlias(alias)));
            spec.commandLine().getOut().println("alias " + alias.sourceText() + " -> " + alias.targetText() + " saved");
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the aliases as ALIAS -> TARGET.")
    static final class ListAliases implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin AdminTarget target;

        @Override
        public Integer call() {
            List<Alias> aliases = target.withNode(node -> await(node.addresses().aliases()));
            aliases.forEach(a -> spec.commandLine().getOut().println(a.sourceText() + " -> " + a.targetText()));
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete the alias of ALIAS (local@domain or @domain).")
    static final class Delete implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin AdminTarget target;
        @Parameters(index = "0", paramLabel = "ALIAS") String source;

        @Override
        public Integer call() {
            boolean domainAlias = source.strip().startsWith("@");
            boolean deleted;
            if (domainAlias) {
                var domain = CliArguments.domain(spec, source.strip().substring(1));
                deleted = target.withNode(node -> await(node.addresses().deleteDomainAlias(domain)));
            } else {
                var address = CliArguments.username(spec, source);
                deleted = target.withNode(node -> await(node.addresses().deleteAddressAlias(address)));
            }
            if (!deleted) {
                throw new CommandLine.ExecutionException(spec.commandLine(), "no alias " + source.strip());
            }
            spec.commandLine().getOut().println("alias " + source.strip() + " deleted");
            return 0;
        }
    }
}
