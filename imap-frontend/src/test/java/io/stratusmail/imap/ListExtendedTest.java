package io.stratusmail.imap;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.user.Username;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * LIST-EXTENDED (RFC 5258), LIST-STATUS (RFC 5819), SPECIAL-USE in LIST (RFC 6154) and CHILDREN (RFC 3348) over
 * a real socket, on the mailboxes of RFC 5258 section 5's examples.
 */
class ListExtendedTest {

    private ImapTestServer server;
    private Username alice;
    private ImapTestClient c;

    @BeforeEach
    void start() throws Exception {
        server = new ImapTestServer();
        alice = server.user("alice@example.org", "secret");
        c = server.login("alice@example.org", "secret");
        for (String name : new String[] {"Fruit/Apple", "Fruit/Banana", "Fruit/Peach", "Tofu", "Vegetable",
                "Vegetable/Broccoli", "Vegetable/Corn"}) {
            assertThat(c.command("c", "CREATE " + name)).containsExactly("c OK CREATE completed");
        }
        for (String name : new String[] {"INBOX", "Fruit/Banana", "Fruit/Peach", "Vegetable",
                "Vegetable/Broccoli"}) {
            assertThat(c.command("s", "SUBSCRIBE " + name)).containsExactly("s OK SUBSCRIBE completed");
        }
        // A subscribed name whose mailbox is gone stays subscribed (RFC 3501 section 6.3.6).
        assertThat(c.command("d", "DELETE Fruit/Peach")).containsExactly("d OK DELETE completed");
    }

    @AfterEach
    void stop() throws Exception {
        c.close();
        server.close();
    }

    @Test
    void basicListHasChildrenAndSpecialUseAttributes() throws Exception {
        assertThat(c.command("A01", "LIST \"\" %")).containsExactly(
                "* LIST (\\HasNoChildren \\Archive) \"/\" Archive",
                "* LIST (\\HasNoChildren \\Drafts) \"/\" Drafts",
                "* LIST (\\Noselect \\HasChildren) \"/\" Fruit",
                "* LIST (\\HasNoChildren) \"/\" INBOX",
                "* LIST (\\HasNoChildren \\Junk) \"/\" Junk",
                "* LIST (\\HasNoChildren \\Sent) \"/\" Sent",
                "* LIST (\\HasNoChildren) \"/\" Tofu",
                "* LIST (\\HasNoChildren \\Trash) \"/\" Trash",
                "* LIST (\\HasChildren) \"/\" Vegetable",
                "A01 OK LIST completed");
    }

    @Test
    void subscribedSelectionListsSubscribedNamesAlsoNonExistentOnes() throws Exception {
        // The default mailboxes are subscribed when the account is provisioned.
        assertThat(c.command("A02", "LIST (SUBSCRIBED) \"\" *")).containsExactly(
                "* LIST (\\HasNoChildren \\Archive \\Subscribed) \"/\" Archive",
                "* LIST (\\HasNoChildren \\Drafts \\Subscribed) \"/\" Drafts",
                "* LIST (\\HasNoChildren \\Subscribed) \"/\" Fruit/Banana",
                "* LIST (\\NonExistent \\Subscribed) \"/\" Fruit/Peach",
                "* LIST (\\HasNoChildren \\Subscribed) \"/\" INBOX",
                "* LIST (\\HasNoChildren \\Junk \\Subscribed) \"/\" Junk",
                "* LIST (\\HasNoChildren \\Sent \\Subscribed) \"/\" Sent",
                "* LIST (\\HasNoChildren \\Trash \\Subscribed) \"/\" Trash",
                "* LIST (\\HasChildren \\Subscribed) \"/\" Vegetable",
                "* LIST (\\HasNoChildren \\Subscribed) \"/\" Vegetable/Broccoli",
                "A02 OK LIST completed");
    }

    @Test
    void returnChildrenAndSubscribedWithoutSelection() throws Exception {
        assertThat(c.command("A03", "LIST () \"\" (Fruit* Tofu) RETURN (CHILDREN SUBSCRIBED)")).containsExactly(
                "* LIST (\\Noselect \\HasChildren) \"/\" Fruit",
                "* LIST (\\HasNoChildren) \"/\" Fruit/Apple",
                "* LIST (\\HasNoChildren \\Subscribed) \"/\" Fruit/Banana",
                "* LIST (\\HasNoChildren) \"/\" Tofu",
                "A03 OK LIST completed");
    }

    @Test
    void recursiveMatchReturnsParentsOfSubscribedNamesWithChildInfo() throws Exception {
        assertThat(c.command("A04", "LIST (SUBSCRIBED RECURSIVEMATCH) \"\" (F% I% V%)")).containsExactly(
                "* LIST (\\Noselect \\HasChildren) \"/\" Fruit (\"CHILDINFO\" (\"SUBSCRIBED\"))",
                "* LIST (\\HasNoChildren \\Subscribed) \"/\" INBOX",
                "* LIST (\\HasChildren \\Subscribed) \"/\" Vegetable (\"CHILDINFO\" (\"SUBSCRIBED\"))",
                "A04 OK LIST completed");
        // Without RECURSIVEMATCH the unsubscribed parent is not returned.
        assertThat(c.command("A05", "LIST (SUBSCRIBED) \"\" (F% I% V%)")).containsExactly(
                "* LIST (\\HasNoChildren \\Subscribed) \"/\" INBOX",
                "* LIST (\\HasChildren \\Subscribed) \"/\" Vegetable",
                "A05 OK LIST completed");
    }

    @Test
    void multiplePatternsAndRemoteSelection() throws Exception {
        assertThat(c.command("A06", "LIST (REMOTE) \"\" (INBOX Tofu \"Vegetable/%\")")).containsExactly(
                "* LIST (\\HasNoChildren) \"/\" INBOX",
                "* LIST (\\HasNoChildren) \"/\" Tofu",
                "* LIST (\\HasNoChildren) \"/\" Vegetable/Broccoli",
                "* LIST (\\HasNoChildren) \"/\" Vegetable/Corn",
                "A06 OK LIST completed");
    }

    @Test
    void specialUseSelectionAndReturnOption() throws Exception {
        assertThat(c.command("t1", "LIST (SPECIAL-USE) \"\" *")).containsExactly(
                "* LIST (\\HasNoChildren \\Archive) \"/\" Archive",
                "* LIST (\\HasNoChildren \\Drafts) \"/\" Drafts",
                "* LIST (\\HasNoChildren \\Junk) \"/\" Junk",
                "* LIST (\\HasNoChildren \\Sent) \"/\" Sent",
                "* LIST (\\HasNoChildren \\Trash) \"/\" Trash",
                "t1 OK LIST completed");
        assertThat(c.command("t2", "LIST \"\" (Sent Tofu) RETURN (SPECIAL-USE)")).containsExactly(
                "* LIST (\\HasNoChildren \\Sent) \"/\" Sent",
                "* LIST (\\HasNoChildren) \"/\" Tofu",
                "t2 OK LIST completed");
    }

    @Test
    void listStatusRfc5819() throws Exception {
        Mailbox tofu = server.mailbox(alice, "Tofu");
        server.append(tofu, ImapTestServer.message("one", "1"));
        server.append(tofu, ImapTestServer.message("two", "2"), "\\Seen");
        assertThat(c.command("A01", "LIST \"\" (Fruit Tofu Vegetable) RETURN (STATUS (MESSAGES UNSEEN))"))
                .containsExactly(
                        "* LIST (\\Noselect \\HasChildren) \"/\" Fruit",
                        "* LIST (\\HasNoChildren) \"/\" Tofu",
                        "* STATUS Tofu (MESSAGES 2 UNSEEN 1)",
                        "* LIST (\\HasChildren) \"/\" Vegetable",
                        "* STATUS Vegetable (MESSAGES 0 UNSEEN 0)",
                        "A01 OK LIST completed");
        assertThat(c.command("A02", "LIST (SUBSCRIBED) \"\" Fruit/* RETURN (STATUS (UIDNEXT) CHILDREN)"))
                .containsExactly(
                        "* LIST (\\HasNoChildren \\Subscribed) \"/\" Fruit/Banana",
                        "* STATUS Fruit/Banana (UIDNEXT 1)",
                        "* LIST (\\NonExistent \\Subscribed) \"/\" Fruit/Peach",
                        "A02 OK LIST completed");
    }

    @Test
    void listStatusOverManyMailboxesKeepsOrder() throws Exception {
        for (int i = 0; i < 40; i++) {
            c.command("c", "CREATE many/m" + (100 + i));
        }
        var lines = c.command("l", "LIST \"\" many/% RETURN (STATUS (MESSAGES))");
        assertThat(lines).hasSize(81);
        for (int i = 0; i < 40; i++) {
            assertThat(lines.get(2 * i)).isEqualTo("* LIST (\\HasNoChildren) \"/\" many/m" + (100 + i));
            assertThat(lines.get(2 * i + 1)).isEqualTo("* STATUS many/m" + (100 + i) + " (MESSAGES 0)");
        }
    }

    @Test
    void emptyPatternGivesTheDelimiterAlsoInTheExtendedForm() throws Exception {
        assertThat(c.command("l", "LIST () \"\" \"\"")).containsExactly(
                "* LIST (\\Noselect) \"/\" \"\"", "l OK LIST completed");
    }

    @Test
    void badExtendedSyntax() throws Exception {
        assertThat(c.command("b1", "LIST (RECURSIVEMATCH) \"\" %")).containsExactly(
                "b1 BAD RECURSIVEMATCH needs another selection option such as SUBSCRIBED (RFC 5258 section 3.1)");
        assertThat(c.command("b2", "LIST (REMOTE RECURSIVEMATCH) \"\" %")).containsExactly(
                "b2 BAD RECURSIVEMATCH needs another selection option such as SUBSCRIBED (RFC 5258 section 3.1)");
        assertThat(c.command("b3", "LIST (FANCY) \"\" %")).containsExactly(
                "b3 BAD Unknown LIST selection option FANCY");
        assertThat(c.command("b4", "LIST \"\" % RETURN (FANCY)")).containsExactly(
                "b4 BAD Unknown LIST return option FANCY");
        assertThat(c.command("b5", "LIST \"\" % BACK (CHILDREN)")).containsExactly(
                "b5 BAD Expected RETURN (return options) after the mailbox patterns");
        assertThat(c.command("b6", "LIST \"\" % RETURN (STATUS ())")).containsExactly(
                "b6 BAD Expected an atom at ')' (offset 29)");
        assertThat(c.command("b7", "LIST \"\" (a b")).containsExactly("b7 BAD Expected ')' at end of command");
        assertThat(c.command("b8", "LIST \"\" (" + "x ".repeat(64) + "y)")).containsExactly(
                "b8 BAD Too many LIST patterns (at most 64)");
        assertThat(c.command("b9", "LIST \"\" % RETURN (STATUS (DELETED))").get(0)).startsWith(
                "b9 BAD Unknown STATUS item DELETED");
        assertThat(c.command("ok", "LIST \"\" Tofu RETURN ()")).containsExactly(
                "* LIST (\\HasNoChildren) \"/\" Tofu", "ok OK LIST completed");
    }
}
