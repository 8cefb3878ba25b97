// Demo for scripts/demo.sh: a spot launch, its progress and its release through Tencent's
// official Node.js SDK, against spotform-sim at SPOTFORM_ENDPOINT (host:port).
"use strict";
const tencentcloud = require("tencentcloud-sdk-nodejs");

const endpoint = process.env.SPOTFORM_ENDPOINT;
const clientConfig = {
  credential: { secretId: "AKIDSPOTFORMSIM000000000000000000000", secretKey: "spotform-sim-secret" },
  region: "ap-guangzhou",
  profile: { httpProfile: { endpoint, protocol: "http://" } },
};
const cvm = new tencentcloud.cvm.v20170312.Client(clientConfig);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function main() {
  const zone = "ap-guangzhou-3";
  const type = "S5.MEDIUM4";
  const offer = await cvm.DescribeZoneInstanceConfigInfos({
    Filters: [
      { Name: "zone", Values: [zone] },
      { Name: "instance-type", Values: [type] },
      { Name: "instance-charge-type", Values: ["SPOTPAID"] },
    ],
  });
  const item = offer.InstanceTypeQuotaSet[0];
  console.log(`${zone} ${type}: spot price ${item.Price.UnitPriceDiscount}/h, ${item.StatusCategory}`);

  try {
    await cvm.RunInstances({
      InstanceChargeType: "SPOTPAID",
      InstanceMarketOptions: { MarketType: "spot", SpotOptions: { MaxPrice: "0.001" } },
      Placement: { Zone: zone }, InstanceType: type, ImageId: "img-pmqg1cw7", InstanceCount: 2,
    });
  } catch (err) {
    console.log(`bid 0.001 refused as the real API would: ${err.code}`);
  }

  const run = await cvm.RunInstances({
    InstanceChargeType: "SPOTPAID",
    InstanceMarketOptions: { MarketType: "spot", SpotOptions: { MaxPrice: "1.00", SpotInstanceType: "one-time" } },
    Placement: { Zone: zone }, InstanceType: type, ImageId: "img-pmqg1cw7", InstanceCount: 2,
    ClientToken: `demo-${Date.now()}`,
    TagSpecification: [{ ResourceType: "instance", Tags: [{ Key: "team", Value: "demo" }] }],
  });
  const ids = run.InstanceIdSet;
  console.log(`launched ${ids.join(", ")} (RequestId ${run.RequestId})`);

  for (let i = 0; i < 50; i++) {
    const d = await cvm.DescribeInstances({ InstanceIds: ids });
    const states = d.InstanceSet.map((x) => `${x.InstanceId}=${x.InstanceState}`).join(" ");
    console.log(`  ${states}`);
    if (d.InstanceSet.every((x) => x.InstanceState === "RUNNING")) break;
    await sleep(200);
  }
  await cvm.TerminateInstances({ InstanceIds: ids });
  console.log(`released ${ids.join(", ")}`);
}

main().catch((err) => {
  console.error(`demo failed: ${err.code ?? ""} ${err.message}`);
  process.exit(1);
});
