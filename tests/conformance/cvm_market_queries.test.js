// The spot price and stock probes through the official Node.js SDK:
// DescribeZoneInstanceConfigInfos and InquiryPriceRunInstances follow /_sim/market.
"use strict";

const assert = require("node:assert/strict");
const { describe, it } = require("node:test");
const { useSim, spotRequest, expectCode, kZone, kType } = require("./sim_harness");

describe("DescribeZoneInstanceConfigInfos / InquiryPriceRunInstances", () => {
  let sim;
  let cvm;
  useSim((started) => ({ sim, cvm } = started));

  const spotOffer = async (zone, type) => {
    const out = await cvm.DescribeZoneInstanceConfigInfos({
      Filters: [
        { Name: "zone", Values: [zone] },
        { Name: "instance-type", Values: [type] },
        { Name: "instance-charge-type", Values: ["SPOTPAID"] },
      ],
    });
    assert.equal(out.InstanceTypeQuotaSet.length, 1, JSON.stringify(out));
    return out.InstanceTypeQuotaSet[0];
  };

  it("reports the spot price and stock of a zone and type with the real field names",
     async () => {
       await sim.market(kZone, kType, 0.125, 40);
       const item = await spotOffer(kZone, kType);
       assert.equal(item.Zone, kZone);
       assert.equal(item.InstanceType, kType);
       assert.equal(item.InstanceChargeType, "SPOTPAID");
       assert.equal(item.Cpu, 2);
       assert.equal(item.Memory, 4);
       assert.equal(item.InstanceFamily, "S5");
       assert.equal(item.Status, "SELL");
       assert.equal(item.Price.UnitPriceDiscount, 0.125);
       assert.equal(item.Price.ChargeUnit, "HOUR");
       assert.ok(["EnoughStock", "NormalStock", "UnderStock"].includes(item.StatusCategory),
                 item.StatusCategory);
     });

  it("reports SOLD_OUT / WithoutStock when the free capacity is zero", async () => {
    await sim.market(kZone, kType, 0.125, 0);
    const item = await spotOffer(kZone, kType);
    assert.equal(item.Status, "SOLD_OUT");
    assert.equal(item.StatusCategory, "WithoutStock");
  });

  it("lists every spot offer of a zone, each of that zone and charge type", async () => {
    const out = await cvm.DescribeZoneInstanceConfigInfos({
      Filters: [
        { Name: "zone", Values: [kZone] },
        { Name: "instance-charge-type", Values: ["SPOTPAID"] },
      ],
    });
    assert.ok(out.InstanceTypeQuotaSet.length >= 2, "the catalogue has several types per zone");
    for (const item of out.InstanceTypeQuotaSet) {
      assert.equal(item.Zone, kZone);
      assert.equal(item.InstanceChargeType, "SPOTPAID");
    }
  });

  it("rejects an unknown filter name with InvalidFilter", async () => {
    await expectCode(cvm.DescribeZoneInstanceConfigInfos({
      Filters: [{ Name: "colour", Values: ["red"] }],
    }), "InvalidFilter");
  });

  it("InquiryPriceRunInstances quotes the market's spot price per hour", async () => {
    await sim.market(kZone, kType, 0.25, 40);
    const out = await cvm.InquiryPriceRunInstances(spotRequest({ maxPrice: "0.30" }));
    assert.equal(out.Price.InstancePrice.UnitPriceDiscount, 0.25);
    assert.equal(out.Price.InstancePrice.ChargeUnit, "HOUR");
    assert.match(out.RequestId, /\S/);
    assert.deepEqual(await sim.instances(), [], "a quote creates nothing");
  });

  it("InquiryPriceRunInstances follows a market price change", async () => {
    await sim.market(kZone, kType, 0.25, 40);
    await sim.market(kZone, kType, 0.05, 40);
    const out = await cvm.InquiryPriceRunInstances(spotRequest());
    assert.equal(out.Price.InstancePrice.UnitPriceDiscount, 0.05);
  });

  it("InquiryPriceRunInstances refuses a bid below the market price", async () => {
    await sim.market(kZone, kType, 0.25, 40);
    await expectCode(cvm.InquiryPriceRunInstances(spotRequest({ maxPrice: "0.10" })),
                     "InvalidParameterValue.InsufficientPrice");
  });

  it("InquiryPriceRunInstances needs ImageId", async () => {
    await expectCode(cvm.InquiryPriceRunInstances({
      InstanceChargeType: "SPOTPAID", Placement: { Zone: kZone }, InstanceType: kType,
    }), "MissingParameter");
  });
});
