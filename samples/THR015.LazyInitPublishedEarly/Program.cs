// THR015: double-checked lazy initialization lets threads skip the lock once the field is set, so the field must be
// set last, by a write that publishes everything done before it. Storing a new object does (the runtime's memory
// model makes the classic form safe); storing it before configuring it, or setting a plain bool flag, does not.
Console.WriteLine("THR015 sample: lazy initialization read by four threads.");

Parallel.For(0, 4, _ =>
{
    Table.Legacy.EnsureLoaded();
    Table.Modern.EnsureReady();
    Console.WriteLine($"hazard: {Settings.Legacy.Count} settings, table loaded: {Table.Legacy.IsLoaded}");
    Console.WriteLine($"fixed: {Settings.Modern.Count} settings, table loaded: {Table.Modern.IsLoaded}");
});

static class Settings
{
    private static readonly object Gate = new object();
    private static Dictionary<string, string>? s_legacy;
    private static Dictionary<string, string>? s_modern;

    // Hazard: other threads can see the dictionary before it is filled.
    public static Dictionary<string, string> Legacy
    {
        get
        {
            if (s_legacy == null)
            {
                lock (Gate)
                {
                    if (s_legacy == null)
                    {
                        s_legacy = new Dictionary<string, string>(); // expect: THR015
                        s_legacy.Add("mode", "fast");
                    }
                }
            }

            return s_legacy;
        }
    }

    // Fixed: built in a local, published last.
    public static Dictionary<string, string> Modern
    {
        get
        {
            if (s_modern == null)
            {
                lock (Gate)
                {
                    if (s_modern == null)
                    {
                        var settings = new Dictionary<string, string>();
                        settings.Add("mode", "fast");
                        s_modern = settings;
                    }
                }
            }

            return s_modern;
        }
    }
}

class Table
{
    private readonly object _gate = new object();
    private bool _loaded;
    private volatile bool _ready;
    private int[] _rows = Array.Empty<int>();

    public static Table Legacy { get; } = new Table();

    public static Table Modern { get; } = new Table();

    public bool IsLoaded => _rows.Length > 0;

    // Hazard: a plain bool write is no release; a reader can see true before _rows.
    public void EnsureLoaded()
    {
        if (!_loaded)
        {
            lock (_gate)
            {
                if (!_loaded)
                {
                    _rows = new int[16];
                    _loaded = true; // expect: THR015
                }
            }
        }
    }

    // Fixed: the volatile write publishes _rows with it.
    public void EnsureReady()
    {
        if (!_ready)
        {
            lock (_gate)
            {
                if (!_ready)
                {
                    _rows = new int[16];
                    _ready = true;
                }
            }
        }
    }
}
