using Microsoft.Data.Sqlite;
using Npgsql;

namespace PolicyMatch.Web.Infrastructure.Data;

/// <summary>
/// "Someone else got there first": a unique index refused a row. Where two requests can race for the same
/// unique thing (an incubator's name, a company's code), the loser's transaction is rolled back and the user
/// is told in words, not with a 500. Decided by the providers' error codes, never by reading SQL or messages.
/// </summary>
public static class UniqueViolation
{
    /// <summary>SQLite's extended codes for a UNIQUE and a PRIMARY KEY constraint (sqlite.org/rescode.html).</summary>
    private const int SqliteConstraintUnique = 2067, SqliteConstraintPrimaryKey = 1555;

    public static bool Is(Exception? e) => e switch
    {
        SqliteException s => s.SqliteExtendedErrorCode is SqliteConstraintUnique or SqliteConstraintPrimaryKey,
        PostgresException p => p.SqlState == PostgresErrorCodes.UniqueViolation,
        null => false,
        _ => Is(e.InnerException),
    };
}
