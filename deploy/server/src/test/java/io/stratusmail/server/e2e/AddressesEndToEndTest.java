package io.stratusmail.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratusmail.mailbox.address.Alias;
import io.stratusmail.mailbox.user.Username;
import io.stratusmail.server.node.StratusNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Aliases and account deletion on the full stack: mail sent by Python's smtplib.LMTP to an alias and to a
 * whole-domain alias, in mixed case, ends in the user's INBOX with the address it was sent to as
 * {@code Delivered-To}; LOGIN works in any case; a deleted user's mail is gone for the next user of that name.
 */
class AddressesEndToEndTest {

    private static final Pattern UIDVALIDITY = Pattern.compile("\\* OK \\[UIDVALIDITY (\\d+)].*");

    @TempDir
    Path work;

    @Test
    void aliasesDeliverToTheUserAndLoginIgnoresCase() throws Exception {
        StratusNode node = TestNode.shared();
        Username user = TestNode.newUser("target");
        String tag = UUID.randomUUID().toString().substring(0, 8);
        Username sales = Username.of("sales-" + tag + "@example.test");
        String oldDomain = "old-" + tag + ".test";
        node.addresses().addAlias(new Alias.AddressAlias(sales, user)).toCompletableFuture().get();
        node.addresses().addAlias(Alias.parse("@" + oldDomain, "@example.test")).toCompletableFuture().get();

        byte[] m1 = "From: a@example.org\r\nSubject: to the alias\r\n\r\none\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] m2 = "From: b@example.org\r\nSubject: to the old domain\r\n\r\ntwo\r\n".getBytes(StandardCharsets.US_ASCII);
        String local = user.value().substring(0, user.value().indexOf('@'));
        Clients.deliver(work, node.lmtpAddress(), Clients.plan(work, List.of(m1, m2), List.of(
                List.of(sales.value().toUpperCase()),
                List.of(local.toUpperCase() + "@" + oldDomain.toUpperCase()))));

        try (ImapSession s = new ImapSession(node.imapAddress())) {
            assertThat(s.send("a login " + user.value().toUpperCase() + " " + new String(TestNode.password(user))))
                    .last().asString().startsWith("a OK");
            assertThat(s.send("b select INBOX")).contains("* 2 EXISTS");
            String fetch = String.join("\n", s.send("c fetch 1:2 (BODY.PEEK[HEADER.FIELDS (DELIVERED-TO SUBJECT)])"));
            assertThat(fetch)
                    .contains("Delivered-To: " + sales.value())
                    .contains("Subject: to the alias")
                    .contains("Delivered-To: " + local + "@" + oldDomain)
                    .contains("Subject: to the old domain");
        }
    }

    @Test
    void aDeletedUsersMailIsGoneForTheNextUserOfThatName() throws Exception {
        StratusNode node = TestNode.shared();
        Username user = TestNode.newUser("deleted");
        byte[] m = "From: a@example.org\r\nSubject: old mail\r\n\r\nold\r\n".getBytes(StandardCharsets.US_ASCII);
        Clients.deliver(work, node.lmtpAddress(), Clients.plan(work, List.of(m), List.of(List.of(user.value()))));
        long before = uidValidityAndCount(node, user, 1);

        assertThat(node.accounts().delete(user).toCompletableFuture().get()).isTrue();
        try (ImapSession s = new ImapSession(node.imapAddress())) {
            assertThat(s.send("a login " + user.value() + " " + new String(TestNode.password(user))))
                    .last().asString().startsWith("a NO");
        }
        node.accounts().createOrUpdate(user, TestNode.password(user)).toCompletableFuture().get();

        long after = uidValidityAndCount(node, user, 0);
        assertThat(after).isNotEqualTo(before);
    }

    /** Logs in, selects INBOX, checks its message count and returns its UIDVALIDITY. */
    private static long uidValidityAndCount(StratusNode node, Username user, int exists) throws Exception {
        try (ImapSession s = new ImapSession(node.imapAddress())) {
            assertThat(s.send("a login " + user.value() + " " + new String(TestNode.password(user))))
                    .last().asString().startsWith("a OK");
            List<String> select = s.send("b select INBOX");
            assertThat(select).contains("* " + exists + " EXISTS");
            for (String line : select) {
                Matcher matcher = UIDVALIDITY.matcher(line);
                if (matcher.matches()) {
                    return Long.parseLong(matcher.group(1));
                }
            }
            throw new AssertionError("no UIDVALIDITY in " + select);
        }
    }
}
