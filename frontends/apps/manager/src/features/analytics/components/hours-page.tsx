// When the restaurant is busy: sales by weekday and by hour of the day against the previous period, and the peak
// hours heat map (weekday by hour).
import { useState } from "react";
import { useHeatmap } from "../api/analytics-api";
import { rangeDays, type Range } from "../lib/period";
import { HeatMap } from "./heat-map";
import { SalesChart } from "./sales-chart";
import { Loaded, Section } from "./section";
import { MEASURES, Toggle, type Measure } from "./toggle";

export function HoursPage({ range }: { range: Range }) {
  const [measure, setMeasure] = useState<Measure>("orders");
  const heatmap = useHeatmap(range);
  return (
    <div className="page">
      <Section
        title="Peak hours"
        csv="heatmap"
        range={range}
        testId="analytics-heatmap"
        actions={<Toggle label="Peak hours: shade by" options={MEASURES} value={measure} onChange={setMeasure} />}
      >
        <Loaded query={heatmap} what="peak hours">
          {(data) => <HeatMap cells={data.cells} measure={measure} currency={data.currency} />}
        </Loaded>
      </Section>
      <div className="analytics-columns">
        <SalesChart range={range} groupBy="hour" title="Sales by hour of day" width={560} testId="sales-by-hour" />
        {rangeDays(range) > 1 && (
          <SalesChart
            range={range}
            groupBy="weekday"
            title="Sales by weekday"
            width={560}
            testId="sales-by-weekday"
          />
        )}
      </div>
    </div>
  );
}
