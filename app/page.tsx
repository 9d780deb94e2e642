import { CutoverList } from "./_components/cutover-list";
import { NewCutoverLink } from "./_components/new-cutover-link";

export default function DashboardPage() {
  return (
    <section aria-labelledby="cutovers-heading">
      <div className="mb-6 flex items-end justify-between">
        <div>
          <h1 id="cutovers-heading" className="text-2xl font-semibold">
            Cutovers
          </h1>
          <p className="mt-1 text-sm text-slate-600">Planned and past database moves, newest activity first.</p>
        </div>
        <NewCutoverLink />
      </div>
      <CutoverList />
    </section>
  );
}
