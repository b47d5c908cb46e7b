namespace PolicyMatch.Web.Tests.Infrastructure;

/// <summary>
/// A test that is about PostgreSQL itself (several nodes on one database server): it runs in the
/// PostgreSQL pass of the suite (POLICYMATCH_TEST_DATABASE=postgres, as .ci/test.sh does) and is
/// reported as skipped, with the reason, in the SQLite pass.
/// </summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (!TestDatabase.IsPostgres)
        {
            Skip = "needs PostgreSQL: runs in the PostgreSQL pass (POLICYMATCH_TEST_DATABASE=postgres)";
        }
    }
}
