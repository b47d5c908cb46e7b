using Hangfire.AspNetCore;
using Hangfire.Logging;

namespace PolicyMatch.Web.Infrastructure.Jobs;

/// <summary>
/// Hangfire's log provider is one per process (Hangfire.Logging.LogProvider), and its classes ask it for
/// a logger in their constructors. Set to a host's ILoggerFactory, it outlives that host when a process
/// runs several (the tests; a node restarted in-process): asking a disposed factory for a logger throws,
/// and then so would a request that builds a job client. This one forwards to the host's logging while
/// the host lives and stays silent once the host's logging is gone.
/// </summary>
internal sealed class HostLogProvider(ILoggerFactory factory) : ILogProvider
{
    private readonly AspNetCoreLogProvider _host = new(factory);

    public ILog GetLogger(string name)
    {
        try
        {
            return new Guarded(_host.GetLogger(name));
        }
        catch (ObjectDisposedException)
        {
            return Silent.Instance;
        }
    }

    private sealed class Guarded(ILog inner) : ILog
    {
        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            try
            {
                return inner.Log(logLevel, messageFunc!, exception!);
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
        }
    }

    private sealed class Silent : ILog
    {
        public static readonly Silent Instance = new();

        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
    }
}
