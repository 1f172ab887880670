package dev.jbuild.builder.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.builder.internal.UserDatabase.Owner;
import org.junit.jupiter.api.Test;

class UserDatabaseTest {
    private final UserDatabase database = UserDatabase.parse(
            "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1001::/home/app:/bin/sh\nbroken line\n",
            "root:x:0:\nstaff:x:50:app\napp:x:1001:\n");

    @Test
    void namesResolveThroughPasswdAndGroup() {
        assertEquals(new Owner(1000, 50), database.resolveChown("app:staff"));
        assertEquals(new Owner(1000, 1001), database.resolveChown("app:app"));
    }

    @Test
    void userWithoutGroupUsesTheUidAsGid() {
        assertEquals(new Owner(1000, 1000), database.resolveChown("app"));
        assertEquals(new Owner(42, 42), database.resolveChown("42"));
    }

    @Test
    void numbersNeedNoDatabase() {
        assertEquals(new Owner(7, 8), UserDatabase.EMPTY.resolveChown("7:8"));
    }

    @Test
    void unknownNamesAreClearErrors() {
        var error = assertThrows(IllegalArgumentException.class, () -> database.resolveChown("nobody"));
        assertTrue(error.getMessage().contains("unable to find user nobody"), error.getMessage());
        var groupError = assertThrows(IllegalArgumentException.class, () -> database.resolveChown("app:wheel"));
        assertTrue(groupError.getMessage().contains("unable to find group wheel"), groupError.getMessage());
    }

    @Test
    void runUserTakesThePrimaryGroup() {
        assertEquals(new Owner(1000, 1001), database.resolveUser("app"));
        assertEquals(new Owner(1000, 1001), database.resolveUser("1000"));
        assertEquals(new Owner(5, 0), database.resolveUser("5"));
        assertEquals(new Owner(1000, 50), database.resolveUser("app:staff"));
    }
}
