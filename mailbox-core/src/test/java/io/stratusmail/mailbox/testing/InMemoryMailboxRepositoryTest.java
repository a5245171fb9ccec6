package io.stratusmail.mailbox.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratusmail.mailbox.MailboxLimitException;
import io.stratusmail.mailbox.MailboxName;
import io.stratusmail.mailbox.MailboxRepository;
import io.stratusmail.mailbox.MailboxRepositoryContract;
import io.stratusmail.mailbox.message.MessageStore;
import io.stratusmail.mailbox.user.Username;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The registry contract on the in-memory fake, plus the limit of names (cheap to reach here). */
class InMemoryMailboxRepositoryTest extends MailboxRepositoryContract {

    private final InMemoryMailStore store = new InMemoryMailStore();

    @Override
    protected MailboxRepository mailboxes() {
        return store;
    }

    @Override
    protected MailboxRepository otherNode() {
        return store;
    }

    @Override
    protected MessageStore messages() {
        return store;
    }

    @Test
    void namesBeyondTheLimitAreRefusedWithLimitAndNothingChanges() {
        InMemoryMailStore small = new InMemoryMailStore(4);
        Username owner = user();
        join(small.create(owner, new MailboxName("a/b/c")));
        join(small.create(owner, new MailboxName("d")));

        assertThat(failure(small.create(owner, new MailboxName("e")))).isInstanceOf(MailboxLimitException.class)
                .hasMessageContaining("limit is 4");
        assertThat(failure(small.rename(owner, new MailboxName("d"), new MailboxName("x/y"))))
                .isInstanceOf(MailboxLimitException.class);
        assertThat(join(small.listWithAttributes(owner))).extracting(l -> l.name().value())
                .containsExactly("a", "a/b", "a/b/c", "d");
        join(small.delete(owner, new MailboxName("d")));
        join(small.create(owner, new MailboxName("e")));

        for (String s : List.of("s1", "s2", "s3", "s4")) {
            join(small.subscribe(owner, new MailboxName(s)));
        }
        join(small.subscribe(owner, new MailboxName("s4")));
        assertThat(failure(small.subscribe(owner, new MailboxName("s5")))).isInstanceOf(MailboxLimitException.class);
    }
}
