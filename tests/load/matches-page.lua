-- GET /check?… — the matches page of the anonymous quick check (a GET form: the profile is in the
-- query string, percent-encoded UTF-8). Several profiles, rotated per request.
package.path = (os.getenv("LOAD_DIR") or ".") .. "/?.lua;" .. package.path
require("common")

local function encode(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

local function query(pairs_)
  local parts = {}
  for _, kv in ipairs(pairs_) do
    table.insert(parts, kv[1] .. "=" .. encode(kv[2]))
  end
  return "/check?" .. table.concat(parts, "&")
end

local profiles = {
  { {"District","海淀区"}, {"Zones","中关村科学城"}, {"FocusAreas","人工智能"}, {"EstablishedOn","2018-03-01"}, {"Employees","80"},
    {"RevenueLastYear","50000000"}, {"RdExpenseLastYear","4000000"}, {"Hightech","yes"}, {"HightechIssuedOn","2023-12-01"},
    {"HightechExpiresOn","2026-11-30"}, {"TechSme","yes"}, {"TechSmeYear","2025"}, {"SrdiLevel","specialized_sme"},
    {"ListingStatus","intends"}, {"InventionPatents","6"}, {"UniversityJointLab","yes"}, {"PostdocWorkstation","yes"}, {"AsOf","2025-06-01"} },
  { {"Name","北京昌平生命科学园医药有限公司"}, {"District","昌平区"}, {"Zones","生命科学园"}, {"Zones","未来科学城"}, {"FocusAreas","医药健康"},
    {"EstablishedOn","2015-07-20"}, {"Employees","320"}, {"RevenueLastYear","210,000,000"}, {"SrdiLevel","little_giant"},
    {"ListingStatus","listed"}, {"InventionPatents","41"}, {"AsOf","2025-03-15"} },
  { {"District","通州区"}, {"Zones","城市副中心"}, {"FocusAreas","数字经济"}, {"EstablishedOn","2023-02-14"}, {"Employees","12"},
    {"Hightech","no"}, {"TechSme","no"}, {"IncubatorTenant","yes"} },
  { {"District","大兴区"}, {"Zones","经开区"}, {"FocusAreas","智能网联汽车"}, {"FocusAreas","智能制造"}, {"Employees","560"},
    {"RevenueLastYear","880000000"}, {"Hightech","yes"}, {"HightechIssuedOn","2024-10-29"}, {"HightechExpiresOn","2027-10-28"},
    {"SrdiLevel","little_giant"}, {"Gazelle","yes"}, {"InventionPatents","118"}, {"AsOf","2025-09-01"} },
  { {"District","怀柔区"}, {"Zones","怀柔科学城"}, {"FocusAreas","新材料"}, {"Employees","45"}, {"UniversitySpinoff","yes"}, {"AsOf","2024-12-31"} },
  { {"District","朝阳区"}, {"FocusAreas","科技服务"}, {"EstablishedOn","2021-09-09"}, {"Employees","25"} },
}

function init(args)
  init_counters()
  for i, p in ipairs(profiles) do
    requests[i] = wrk.format("GET", query(p), { ["Accept"] = "text/html" })
  end
  start_rotation()
end
