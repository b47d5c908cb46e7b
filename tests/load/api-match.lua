-- POST /api/match with several realistic profiles (Chinese values), rotated per request so the
-- server never sees one repeated body. The requests are formatted once per thread, in init.
package.path = (os.getenv("LOAD_DIR") or ".") .. "/?.lua;" .. package.path
require("common")

local bodies = {
  [[{"profile":{"name":"北京智算未来科技有限公司","district":"110108","zones":["中关村科学城"],"industry_code":"6513","focus_areas":["人工智能","集成电路"],"established_on":"2018-03-01","employees":80,"revenue_last_year":50000000,"rd_expense_last_year":4000000,"hightech_certificate":{"number":"GR202311001234","issued_on":"2023-12-01","expires_on":"2026-11-30"},"tech_sme_year":2025,"srdi_level":"specialized_sme","listing_status":"intends","invention_patents":6,"university_joint_lab":true,"postdoc_workstation":true},"as_of":"2025-06-01"}]],
  [[{"profile":{"name":"北京昌平生命科学园医药有限公司","district":"昌平区","zones":["生命科学园","未来科学城"],"focus_areas":["医药健康"],"established_on":"2015-07-20","employees":320,"revenue_last_year":210000000,"rd_expense_last_year":26000000,"hightech_certificate":{"issued_on":"2022-10-18","expires_on":"2025-10-17"},"srdi_level":"little_giant","listing_status":"listed","invention_patents":41,"postdoc_workstation":true},"as_of":"2025-03-15"}]],
  [[{"profile":{"name":"通州运河数字经济服务有限公司","district":"110112","zones":["城市副中心","运河商务区"],"focus_areas":["数字经济","现代金融"],"established_on":"2023-02-14","employees":12,"revenue_last_year":1800000,"hightech_certificate":false,"tech_sme_year":false,"srdi_level":"none","listing_status":"none","invention_patents":0,"incubator_tenant":true}}]],
  [[{"profile":{"name":"亦庄智能网联汽车科技股份有限公司","district":"大兴区","zones":["经开区"],"industry_code":"3670","focus_areas":["智能网联汽车","智能制造"],"established_on":"2016-11-30","employees":560,"revenue_last_year":880000000,"rd_expense_last_year":97000000,"hightech_certificate":{"number":"GR202411004567","issued_on":"2024-10-29","expires_on":"2027-10-28"},"tech_sme_year":2024,"srdi_level":"little_giant","unicorn":false,"gazelle":true,"listing_status":"intends","invention_patents":118},"as_of":"2025-09-01"}]],
  [[{"profile":{"name":"怀柔科学城新材料研究院有限公司","district":"110116","zones":["怀柔科学城"],"focus_areas":["新材料","先进能源"],"established_on":"2020-05-06","employees":45,"revenue_last_year":9000000,"rd_expense_last_year":3500000,"tech_sme_year":2024,"srdi_level":"innovative_sme","invention_patents":9,"university_spinoff":true,"university_joint_lab":true},"as_of":"2024-12-31"}]],
  [[{"profile":{"name":"朝阳区科技服务有限公司","district":"朝阳区","focus_areas":["科技服务","商务服务"],"established_on":"2021-09-09","employees":25,"revenue_last_year":6000000},"as_of":"2025-06-01"}]],
  [[{"profile":{"district":"110114","zones":["沙河高教园"],"focus_areas":["新一代信息技术"],"employees":150,"hightech_certificate":{"number":"GR202211009876","issued_on":"2022-12-30","expires_on":"2025-12-29"},"srdi_level":"specialized_sme","gazelle":true}}]],
  [[{"profile":{"name":"天津滨海航天装备有限公司","district":"天津市","zones":["滨海新区"],"focus_areas":["航空航天"],"established_on":"2012-04-01","employees":900,"revenue_last_year":1500000000,"srdi_level":"little_giant","listing_status":"listed","invention_patents":230},"as_of":"2025-06-01"}]],
}

function init(args)
  init_counters()
  local headers = { ["Content-Type"] = "application/json; charset=utf-8", ["Accept"] = "application/json" }
  for i, body in ipairs(bodies) do
    requests[i] = wrk.format("POST", "/api/match", headers, body)
  end
  start_rotation()
end
