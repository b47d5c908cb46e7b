using Dapper;

namespace PolicyMatch.Web.Infrastructure.Data;

/// <summary>
/// Serialises the start-up work that writes the schema and the catalog (migrations, seeder, job-store
/// provisioning) across web nodes that start at the same time against one PostgreSQL database: a
/// session-level advisory lock, released when the returned handle is disposed. SQLite has one
/// process per file in practice and its writes are serialised by the file lock, so there it is a no-op.
/// </summary>
public sealed class StartupLock(IDbConnectionFactory connections)
{
    /// <summary>An arbitrary constant naming "PolicyMatch start-up" among advisory locks.</summary>
    private const long Key = 0x504D_5354_4152_54; // "PMSTART"

    public async Task<IAsyncDisposable> AcquireAsync(CancellationToken ct = default)
    {
        if (connections.Provider != DbProvider.PostgreSql)
        {
            return Nothing.Instance;
        }
        var connection = await connections.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_lock(@Key)", new { Key }, cancellationToken: ct));
        return new Held(connection);
    }

    private sealed class Held(System.Data.Common.DbConnection connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await connection.ExecuteAsync("SELECT pg_advisory_unlock(@Key)", new { Key });
            await connection.DisposeAsync();
        }
    }

    private sealed class Nothing : IAsyncDisposable
    {
        public static readonly Nothing Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
