import { PlanForm } from "@/app/_components/plan-form";

export default function NewCutoverPage() {
  return (
    <section aria-labelledby="new-heading" className="space-y-6">
      <div>
        <h1 id="new-heading" className="text-2xl font-semibold">
          New cutover
        </h1>
        <p className="mt-1 text-sm text-slate-600">Plan the move of one Heroku app&apos;s database. Nothing runs until you start it.</p>
      </div>
      <PlanForm cutover={null} />
    </section>
  );
}
