// THR005: a Thread that is created but never started: the work it was made for silently never runs.
Console.WriteLine("THR005 sample: a thread that is only created, and one that is also started.");

Report.ExportLegacy();
Report.ExportModern();
Report.Discard();
new Poller().Stop();

static class Report
{
    // Hazard: the thread is created and configured but never started, so nothing is exported.
    public static void ExportLegacy()
    {
        var exporter = new Thread(() => Console.WriteLine("legacy export: written")); // expect: THR005
        exporter.IsBackground = true;
        Console.WriteLine($"legacy export: thread state {exporter.ThreadState}");
    }

    // Fixed: started right after it is configured, then joined.
    public static void ExportModern()
    {
        var exporter = new Thread(() => Console.WriteLine("modern export: written"));
        exporter.IsBackground = true;
        exporter.Start();
        exporter.Join();
    }

    // Hazard: the new thread is discarded; nothing can ever start it.
    public static void Discard()
    {
        new Thread(() => Console.WriteLine("discarded: written")); // expect: THR005
    }
}

// Hazard: no member of Poller starts its thread, and the thread never leaves the type.
class Poller
{
    private readonly Thread _loop = new Thread(() => Console.WriteLine("poller: polled")) { IsBackground = true }; // expect: THR005

    public void Stop() => Console.WriteLine($"poller: thread state {_loop.ThreadState}");
}
